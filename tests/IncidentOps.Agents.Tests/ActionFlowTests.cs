using IncidentOps.Agents.Actions;
using IncidentOps.Agents.Phases.Detection;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Prediction;
using IncidentOps.Agents.Phases.Resolution;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Agents.Tests;

public class ActionFlowTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private WebApplicationFactory<Program> Worker(params (string Key, string Value)[] settings) => new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
    {
        web.UseEnvironment("Testing").UseSetting($"ConnectionStrings:{ResourceNames.Redis}", fixture.Redis.ConnectionString);
        foreach (var (key, value) in settings)
        {
            web.UseSetting(key, value);
        }
    });

    [Fact]
    public async Task An_approved_rollback_runs_through_the_webhook_and_its_outcome_feeds_the_fix_history()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var hookUrl = $"{receiver.BaseUrl}runbooks/rollback";
        await using var worker = Worker(
            ("Actions:Executors:rollback", "webhook"), ("Actions:Webhook:Url", hookUrl), ("Actions:Webhook:AllowedUrls:0", receiver.BaseUrl));
        _ = worker.Server;
        var before = (await new FixOutcomes(fixture.Redis.Connection).ForCategoryAsync("bad_deploy")).FirstOrDefault(f => f.Remediation == "rollback");

        await fixture.DeployedAsync("checkout-rollback", "v2.3.1");
        var id = await fixture.OpenIncidentAsync("Checkout 5xx errors since the deploy of release v2.3.1", service: "checkout-rollback");
        var rollback = await Eventually.ValueAsync(
            async () => (await fixture.Actions.ListAsync(id)).FirstOrDefault(a => a.Remediation == "rollback"), Deadline, "a rollback proposed");

        Assert.Equal((StepKind.ApprovalRequired, ActionState.AwaitingApproval, "webhook"), (rollback.Kind, rollback.State, rollback.Executor));
        Assert.Empty(receiver.Received);

        var decision = await fixture.Actions.DecideAsync(id, rollback.Id, approve: true, "maria", "customers are failing checkout", null);
        Assert.Equal(DecisionStatus.Done, decision.Status);

        var done = await Eventually.ValueAsync(
            async () => (await fixture.Actions.GetAsync(id, rollback.Id)) is { State: ActionState.Succeeded or ActionState.Failed } a ? a : null, Deadline, "the rollback run");
        Assert.Equal(ActionState.Succeeded, done.State);
        Assert.Contains("HTTP 202", done.Outcome, StringComparison.Ordinal);
        var call = Assert.Single(receiver.Received);
        Assert.Equal((rollback.Id, id, "maria"), (call.GetProperty("actionId").GetString(), call.GetProperty("incidentId").GetString(), call.GetProperty("approvedBy").GetString()));

        var after = (await new FixOutcomes(fixture.Redis.Connection).ForCategoryAsync("bad_deploy")).Single(f => f.Remediation == "rollback");
        Assert.Equal(((before?.Tried ?? 0) + 1, (before?.Worked ?? 0) + 1), (after.Tried, after.Worked));
        var types = (await fixture.Store.GetTimelineAsync(id)).Select(e => e.Type).ToList();
        Assert.Equal(["action.approved", "action.started", "action.succeeded"], types.Where(t => t is "action.approved" or "action.started" or "action.succeeded"));
    }

    [Fact]
    public async Task The_webhook_executor_refuses_a_url_outside_the_allowlist_and_records_why()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var worker = Worker(
            ("Actions:DefaultExecutor", "webhook"), ("Actions:Webhook:Url", $"{receiver.BaseUrl}runbooks/any"), ("Actions:Webhook:AllowedUrls:0", "https://automation.example.com/"));
        _ = worker.Server;

        var id = await fixture.OpenIncidentAsync("Orders service OOMKilled, memory leak suspected");
        var restart = await Eventually.ValueAsync(
            async () => (await fixture.Actions.ListAsync(id)).FirstOrDefault(a => a.Kind == StepKind.ApprovalRequired), Deadline, "a remediation proposed");
        await fixture.Actions.DecideAsync(id, restart.Id, approve: true, "li", null, null);

        var failed = await Eventually.ValueAsync(
            async () => (await fixture.Actions.GetAsync(id, restart.Id)) is { State: ActionState.Failed } a ? a : null, Deadline, "the refusal recorded");
        Assert.Contains("not under an allowed prefix", failed.Outcome, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_failing_automation_endpoint_is_called_once_and_the_action_fails_saying_why()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Status = 503;
        await using var worker = Worker(
            ("Actions:DefaultExecutor", "webhook"), ("Actions:Webhook:Url", $"{receiver.BaseUrl}runbooks/any"), ("Actions:Webhook:AllowedUrls:0", receiver.BaseUrl));
        _ = worker.Server;

        await fixture.DeployedAsync("checkout-503", "9.1.0");
        var id = await fixture.OpenIncidentAsync("Checkout 5xx since the deploy of release 9.1.0", service: "checkout-503");
        var rollback = await Eventually.ValueAsync(
            async () => (await fixture.Actions.ListAsync(id)).FirstOrDefault(a => a.Kind == StepKind.ApprovalRequired), Deadline, "a remediation proposed");
        await fixture.Actions.DecideAsync(id, rollback.Id, approve: true, "li", null, null);

        var failed = await Eventually.ValueAsync(
            async () => (await fixture.Actions.GetAsync(id, rollback.Id)) is { State: ActionState.Failed } a ? a : null, Deadline, "the failure recorded");
        Assert.Contains("HTTP 503", failed.Outcome, StringComparison.Ordinal);
        // A change to production is never repeated by a transport retry.
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task A_work_item_that_fails_every_worker_is_moved_to_the_dead_letter_stream_and_the_dead_letters_gauge_says_so()
    {
        // An incident key of the wrong type: every attempt fails with a Redis error, so the item is redelivered.
        await fixture.Redis.Db.StringSetAsync(RedisKeys.Incident("inc_poison"), "not a hash");
        var work = Core.Events.OpsJson.Serialize(new WorkItem("inc_poison", "opened", DateTimeOffset.UtcNow));
        var entry = await fixture.Redis.Db.StreamAddAsync(RedisKeys.AgentsWork, [new("work", work), new("traceparent", "")]);
        await using var worker = Worker(("Agents:ClaimIdleSeconds", "1"), ("Agents:MaxDeliveries", "2"));
        using var deadLetters = new MetricCollector<long>(
            worker.Services.GetRequiredService<IMeterFactory>(), IncidentOpsTelemetry.Agents, "incidentops.agents.dead_letters");
        long Gauge()
        {
            deadLetters.RecordObservableInstruments();
            return deadLetters.LastMeasurement?.Value ?? -1;
        }

        var before = await fixture.Redis.Db.StreamLengthAsync(RedisKeys.AgentsDead);
        Assert.True(Gauge() <= before, "the gauge counted a dead letter before there was one");

        await Eventually.TrueAsync(async () => (await fixture.Redis.Db.StreamRangeAsync(RedisKeys.AgentsDead)).Any(e => e["id"] == entry), Deadline, "the poison item dead-lettered");
        var dead = (await fixture.Redis.Db.StreamRangeAsync(RedisKeys.AgentsDead)).Single(e => e["id"] == entry);
        Assert.Equal(work, dead["work"].ToString());
        Assert.True((long)dead["deliveries"] > 2);
        Assert.DoesNotContain(await fixture.Redis.Db.StreamPendingMessagesAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, 100, RedisValue.Null), p => p.MessageId == entry);
        // What an operator alarms on: the gauge moved to the dead letters' count as the item was moved.
        Assert.Equal(before + 1, await fixture.Redis.Db.StreamLengthAsync(RedisKeys.AgentsDead));
        await Eventually.TrueAsync(() => Task.FromResult(Gauge() == before + 1), TimeSpan.FromSeconds(5), "incidentops.agents.dead_letters at the dead letters' count");
    }

    [Fact]
    public async Task A_rejected_action_never_runs_and_cannot_be_approved_afterwards()
    {
        var id = await fixture.OpenIncidentAsync("Payments certificate expires in 3 days", severity: "warning", service: "payments");
        await PlanAsync(id, automaticReadOnly: false);
        var renew = (await fixture.Actions.ListAsync(id)).First(a => a.Kind == StepKind.ApprovalRequired);

        Assert.Equal(DecisionStatus.Done, (await fixture.Actions.DecideAsync(id, renew.Id, approve: false, "sam", "renewing by hand", null)).Status);
        var again = await fixture.Actions.DecideAsync(id, renew.Id, approve: true, "sam", null, null);

        Assert.Equal(DecisionStatus.NotAwaitingApproval, again.Status);
        Assert.Contains("rejected", again.Message, StringComparison.Ordinal);
        Assert.Equal(ActionState.Rejected, (await fixture.Actions.GetAsync(id, renew.Id))!.State);
    }

    [Fact]
    public async Task Only_read_only_steps_are_approved_automatically_and_only_when_configured()
    {
        var manual = await fixture.OpenIncidentAsync("Disk 97% full on orders-db volume");
        var automatic = await fixture.OpenIncidentAsync("Disk 96% full on billing-db volume");

        await PlanAsync(manual, automaticReadOnly: false);
        await PlanAsync(automatic, automaticReadOnly: true);

        Assert.All(await fixture.Actions.ListAsync(manual), a => Assert.Equal(ActionState.AwaitingApproval, a.State));
        var actions = await fixture.Actions.ListAsync(automatic);
        Assert.All(actions.Where(a => a.Kind == StepKind.ReadOnly), a => Assert.Equal((ActionState.Approved, "policy"), (a.State, a.DecidedBy)));
        Assert.All(actions.Where(a => a.Kind == StepKind.ApprovalRequired), a => Assert.Equal(ActionState.AwaitingApproval, a.State));
        Assert.Contains(actions, a => a.Kind == StepKind.ApprovalRequired);
    }

    [Fact]
    public async Task Proposing_the_same_plan_again_changes_nothing()
    {
        var id = await fixture.OpenIncidentAsync("Search pods CPU throttled, thread pool exhausted", service: "search");
        await PlanAsync(id, automaticReadOnly: false);
        var timeline = (await fixture.Store.GetTimelineAsync(id)).Count;
        var actions = await fixture.Actions.ListAsync(id);

        // A worker that died between proposing and completing the phase: the next one proposes again.
        var resolution = (await fixture.Store.GetRunsAsync(id))[AgentPhase.Resolution];
        await fixture.Planner().ProposeAsync((await fixture.Store.GetAsync(id))!, resolution, resolution.Result!.Value, "resource_exhaustion", null);

        Assert.Equal(timeline, (await fixture.Store.GetTimelineAsync(id)).Count);
        Assert.Equal(actions, await fixture.Actions.ListAsync(id));
    }

    [Fact]
    public async Task A_failed_diagnosis_still_gets_a_plan_from_the_runbooks_and_the_incident_shows_the_failure()
    {
        await using var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", fixture.Redis.ConnectionString)
            .UseSetting("Agents:MaxAttemptsPerPhase", "2")
            .ConfigureServices(services =>
            {
                services.RemoveAll<IAgent>();
                services.AddSingleton<IAgent, DetectionAgent>();
                services.AddSingleton<IAgent>(new BrokenDiagnosis());
                services.AddSingleton<IAgent, PredictionAgent>();
                services.AddSingleton<IAgent, ResolutionAgent>();
            }));
        _ = worker.Server;

        var id = await fixture.OpenIncidentAsync("Orders volume /var/lib/orders 97% full, no space left on device", service: "orders-db");
        await Eventually.TrueAsync(async () => (await fixture.Store.GetRunsAsync(id)).TryGetValue(AgentPhase.Resolution, out var r) && r.State == AgentState.Completed, Deadline, "a resolution plan");

        var summary = (await fixture.Store.GetSummaryAsync(id))!;
        Assert.Equal((AgentState.Failed, "model unavailable"), (summary.Agents![AgentPhase.Diagnosis].State, summary.Agents[AgentPhase.Diagnosis].Message));
        var plan = (await fixture.Store.GetRunsAsync(id))[AgentPhase.Resolution].Result!.Value.GetProperty("steps").EnumerateArray().ToList();
        Assert.Contains(plan, s => s.GetProperty("title").GetString()!.Contains("runbook", StringComparison.OrdinalIgnoreCase)
            && s.GetProperty("source").GetString()!.Contains("disk", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(plan, s => s.GetProperty("remediation").GetString() == "escalate");
    }

    private sealed class BrokenDiagnosis : IAgent
    {
        public AgentPhase Phase => AgentPhase.Diagnosis;

        public Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("model unavailable");
    }

    [Fact]
    public async Task A_re_analysis_does_not_propose_again_a_step_already_done_or_waiting()
    {
        await fixture.DeployedAsync("checkout-replan", "7.4.0");
        var id = await fixture.OpenIncidentAsync("Checkout 5xx since the deploy of release 7.4.0", service: "checkout-replan");
        await PlanAsync(id, automaticReadOnly: false);
        var rollback = (await fixture.Actions.ListAsync(id)).Single(a => a.Remediation == "rollback");
        await fixture.Actions.DecideAsync(id, rollback.Id, approve: true, "maria", null, null);
        await fixture.Actions.StartAsync(id, rollback.Id, null);
        await fixture.Actions.FinishAsync(id, rollback.Id, succeeded: true, "done", null);
        var waiting = (await fixture.Actions.ListAsync(id)).Where(a => a.State == ActionState.AwaitingApproval).Select(a => a.Id).ToList();

        // A new alert that changes the diagnosis inputs: the plan is made again from scratch.
        await fixture.TriggerAsync("replan", "Checkout 5xx since the deploy of release 7.4.0, errors in the cart service", "checkout-replan", "errors");
        var resolution = (await fixture.Store.GetRunsAsync(id))[AgentPhase.Resolution];
        await fixture.Planner().ProposeAsync((await fixture.Store.GetAsync(id))!, resolution with { InputDigest = "a-new-plan" }, resolution.Result!.Value, "bad_deploy", null);

        var actions = await fixture.Actions.ListAsync(id);
        Assert.Single(actions, a => a.Remediation == "rollback");
        Assert.Equal(waiting, actions.Where(a => a.State == ActionState.AwaitingApproval).Select(a => a.Id));
    }

    private async Task PlanAsync(string id, bool automaticReadOnly)
    {
        var pipeline = new IncidentPipeline(
            [fixture.Agent<DetectionAgent>(), fixture.Agent<DiagnosisAgent>(), fixture.Agent<PredictionAgent>(), fixture.Agent<ResolutionAgent>()],
            fixture.Store, fixture.Log, new PhaseDurations(fixture.Redis.Connection, TimeProvider.System), fixture.Planner(automaticReadOnly),
            TimeProvider.System, Options.Create(new AgentOptions()), AgentsFixture.Logger<IncidentPipeline>(), fixture.Attachments, fixture.ConcurrentIncidents, fixture.AnalysisRequests);
        await pipeline.RunAsync(id, CancellationToken.None);
    }
}
