using System.Text.Json;
using IncidentOps.Agents.Phases.Detection;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Prediction;
using IncidentOps.Agents.Phases.Resolution;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Tests;

public class IncidentPipelineTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private IReadOnlyList<IAgent> LocalAgents => fixture.Agents;

    private IncidentPipeline Pipeline(IEnumerable<IAgent> agents, int maxAttempts = 3) => new(
        agents, fixture.Store, fixture.Log, new PhaseDurations(fixture.Redis.Connection, TimeProvider.System), fixture.Planner(), TimeProvider.System,
        Options.Create(new AgentOptions { MaxAttemptsPerPhase = maxAttempts, PhaseTimeoutSeconds = 5 }),
        AgentsFixture.Logger<IncidentPipeline>(), fixture.Attachments, fixture.ConcurrentIncidents, fixture.AnalysisRequests);

    [Fact]
    public async Task The_four_agents_run_in_order_through_their_states_and_store_their_conclusions()
    {
        await fixture.DeployedAsync("checkout-v231", "v2.3.1");
        var id = await fixture.OpenIncidentAsync("Checkout error rate 12% since deploy of v2.3.1", service: "checkout-v231");

        await Pipeline(LocalAgents).RunAsync(id, CancellationToken.None);

        var runs = await fixture.Store.GetRunsAsync(id);
        Assert.All(Enum.GetValues<AgentPhase>(), phase => Assert.Equal(AgentState.Completed, runs[phase].State));

        var events = (await fixture.AgentEventsAsync(id)).Select(AgentsFixture.PhaseAndState).ToList();
        var phasesInOrder = events.Select(e => e.Phase).Distinct().ToList();
        Assert.Equal(Enum.GetValues<AgentPhase>(), phasesInOrder);
        foreach (var phase in phasesInOrder)
        {
            var states = events.Where(e => e.Phase == phase).Select(e => e.State).ToList();
            Assert.Equal(AgentState.Initializing, states[0]);
            Assert.Equal(AgentState.Completed, states[^1]);
            // Fewer, meaningful events: PROCESSING once, plus a progress step only after a quiet spell (none on a quick phase).
            Assert.InRange(states.Count(s => s == AgentState.Processing), 1, 3);
        }

        // The conclusion is streamed with COMPLETED, the same as stored.
        var completed = (await fixture.AgentEventsAsync(id)).Single(e => AgentsFixture.PhaseAndState(e) == (AgentPhase.Diagnosis, AgentState.Completed));
        Assert.Equal(runs[AgentPhase.Diagnosis].Result!.Value.GetRawText(), completed.Data.GetProperty("result").GetRawText());

        var diagnosis = runs[AgentPhase.Diagnosis].Result!.Value;
        Assert.False(diagnosis.GetProperty("unknown").GetBoolean());
        var categories = diagnosis.GetProperty("hypotheses").EnumerateArray().Select(h => h.GetProperty("category").GetString()).ToList();
        // The cause first; a symptom (the errors) is what the incident shows, not a cause the diagnosis names.
        Assert.Equal("bad_deploy", categories[0]);
        Assert.DoesNotContain("error_rate", categories);

        var plan = runs[AgentPhase.Resolution].Result!.Value.GetProperty("steps").EnumerateArray().ToList();
        Assert.Equal("read_only", plan[0].GetProperty("kind").GetString());
        Assert.Contains(plan, s => s.GetProperty("kind").GetString() == "approval_required");
    }

    [Fact]
    public async Task Thin_evidence_gives_an_unknown_diagnosis_and_a_plan_that_escalates()
    {
        var id = await fixture.OpenIncidentAsync("Something is off with the nightly job", severity: "warning", service: "batch");

        await Pipeline(LocalAgents).RunAsync(id, CancellationToken.None);

        var runs = await fixture.Store.GetRunsAsync(id);
        Assert.True(runs[AgentPhase.Diagnosis].Result!.Value.GetProperty("unknown").GetBoolean());
        var steps = runs[AgentPhase.Resolution].Result!.Value.GetProperty("steps").EnumerateArray();
        Assert.DoesNotContain(steps, s => s.GetProperty("kind").GetString() == "approval_required");
    }

    [Fact]
    public async Task A_failing_phase_is_retried_then_failed_and_the_later_phases_still_run()
    {
        var id = await fixture.OpenIncidentAsync("Orders DB connection refused");
        var broken = new ThrowingAgent(AgentPhase.Prediction);

        await Pipeline([fixture.Agent<DetectionAgent>(), fixture.Agent<DiagnosisAgent>(), broken, fixture.Agent<ResolutionAgent>()], maxAttempts: 2).RunAsync(id, CancellationToken.None);

        var runs = await fixture.Store.GetRunsAsync(id);
        Assert.Equal(2, broken.Calls);
        Assert.Equal(AgentState.Failed, runs[AgentPhase.Prediction].State);
        Assert.Contains("model unavailable", runs[AgentPhase.Prediction].Error, StringComparison.Ordinal);
        Assert.Equal(2, runs[AgentPhase.Prediction].Attempt);
        Assert.Equal(AgentState.Completed, runs[AgentPhase.Resolution].State);
    }

    [Fact]
    public async Task A_rerun_resumes_at_the_first_unfinished_phase_and_never_repeats_a_finished_one()
    {
        var id = await fixture.OpenIncidentAsync("Payments API 5xx error rate 12%");
        await Pipeline([fixture.Agent<DetectionAgent>(), fixture.Agent<DiagnosisAgent>(), new ThrowingAgent(AgentPhase.Prediction), fixture.Agent<ResolutionAgent>()], maxAttempts: 1)
            .RunAsync(id, CancellationToken.None);
        var before = (await fixture.AgentEventsAsync(id)).Count;

        var counting = LocalAgents.Select(a => new CountingAgent(a)).ToList();
        await Pipeline(counting).RunAsync(id, CancellationToken.None);

        Assert.Equal([0, 0, 1, 0], counting.Select(a => a.Calls));
        var after = (await fixture.AgentEventsAsync(id)).Skip(before).Select(AgentsFixture.PhaseAndState).ToList();
        Assert.All(after, e => Assert.Equal(AgentPhase.Prediction, e.Phase));
        Assert.Equal(AgentState.Completed, (await fixture.Store.GetRunsAsync(id))[AgentPhase.Prediction].State);
    }

    [Fact]
    public async Task New_alerts_re_run_only_the_phases_whose_inputs_they_change()
    {
        var first = await fixture.TriggerAsync("pay-a", "Payments API 5xx error rate 12%", "payments", "http_errors");
        var id = first.IncidentId!;
        Assert.Equal(id, (await fixture.TriggerAsync("pay-b", "Payments API 5xx error rate 15% in eu-west-1", "payments", "http_errors")).IncidentId);
        var pipeline = Pipeline(LocalAgents);
        await pipeline.RunAsync(id, CancellationToken.None);

        // Nothing changed: nothing runs.
        var before = (await fixture.AgentEventsAsync(id)).Count;
        await pipeline.RunAsync(id, CancellationToken.None);
        Assert.Equal(before, (await fixture.AgentEventsAsync(id)).Count);

        // A known alert fires again: the count and urgency change, what the alerts say does not.
        await fixture.ResolveAsync("pay-a");
        Assert.Equal(IngestStatus.Updated, (await fixture.TriggerAsync("pay-a", "Payments API 5xx error rate 12%", "payments", "http_errors")).Status);
        await pipeline.RunAsync(id, CancellationToken.None);
        var rerun = (await fixture.AgentEventsAsync(id)).Skip(before).Select(AgentsFixture.PhaseAndState).ToList();
        // Urgency (detection) and the escalation risk built on it (prediction) are redone; the cause and the plan are not.
        Assert.Equal([AgentPhase.Detection, AgentPhase.Prediction], rerun.Select(e => e.Phase).Distinct());
        Assert.Equal(AgentState.Completed, rerun[^1].State);

        // A new alert that says something else: the diagnosis is redone and now names the disk.
        before = (await fixture.AgentEventsAsync(id)).Count;
        await fixture.TriggerAsync("pay-c", "Payments API 5xx: no space left on device, volume /var/lib/payments 99% full", "payments", "http_errors");
        await pipeline.RunAsync(id, CancellationToken.None);
        var phases = (await fixture.AgentEventsAsync(id)).Skip(before).Select(AgentsFixture.PhaseAndState).Select(e => e.Phase).Distinct();
        Assert.Contains(AgentPhase.Diagnosis, phases);
        var diagnosis = (await fixture.Store.GetRunsAsync(id))[AgentPhase.Diagnosis].Result!.Value;
        Assert.Contains("disk_full", diagnosis.GetProperty("hypotheses").EnumerateArray().Select(h => h.GetProperty("category").GetString()));
    }

    [Fact]
    public async Task Progress_events_carry_an_eta_once_the_phase_has_a_history()
    {
        await Pipeline(LocalAgents).RunAsync(await fixture.OpenIncidentAsync("Search latency p99 3s"), CancellationToken.None);
        var id = await fixture.OpenIncidentAsync("Search latency p99 5s");

        await Pipeline(LocalAgents).RunAsync(id, CancellationToken.None);

        var processing = (await fixture.AgentEventsAsync(id)).Where(e => e.Data.GetProperty("state").GetString() == "processing").ToList();
        Assert.NotEmpty(processing);
        Assert.All(processing, e => Assert.True(e.Data.GetProperty("etaSeconds").GetDouble() >= 0));
    }

    private sealed class ThrowingAgent(AgentPhase phase) : IAgent
    {
        public int Calls { get; private set; }

        public AgentPhase Phase => phase;

        public Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
        {
            Calls++;
            throw new InvalidOperationException("model unavailable");
        }
    }

    private sealed class CountingAgent(IAgent inner) : IAgent
    {
        public int Calls { get; private set; }

        public AgentPhase Phase => inner.Phase;

        public Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
        {
            Calls++;
            return inner.RunAsync(context, reportProgress, cancellationToken);
        }
    }
}
