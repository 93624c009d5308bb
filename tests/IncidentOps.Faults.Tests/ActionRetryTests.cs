using System.Diagnostics;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Xunit.Abstractions;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// The agents worker SIGKILLed while its webhook call for an approved action is in flight (the receiver holds the call
/// open until the kill): the action is recorded running before the call, a new worker retries it with the same
/// idempotency key, its final state is recorded once, and the timeline says it was retried after a worker restart.
/// </summary>
public class ActionRetryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    /// <summary>The first worker's first analysis includes loading the embedding model: over a minute on a busy 2-core machine.</summary>
    private static readonly TimeSpan FirstAnalysis = TimeSpan.FromSeconds(180);

    [Fact]
    public async Task An_action_interrupted_by_a_worker_kill_is_retried_with_the_same_idempotency_key_and_finishes_once()
    {
        await using var redis = new DurableRedis();
        await redis.StartAsync();
        await using var target = await RemediationTarget.StartAsync(hangFirstCall: true);
        (string, string)[] settings =
        [
            // A 5 s lease: 2 s was lost now and then while the first analysis loaded the model on a loaded machine.
            ("AI:Provider", "Local"), ("Agents:ClaimIdleSeconds", "5"),
            ("Actions:DefaultExecutor", "webhook"), ("Actions:Webhook:Url", $"{target.BaseUrl}runbooks/remediate"),
            ("Actions:Webhook:AllowedUrls:0", target.BaseUrl), ("Actions:Webhook:TimeoutSeconds", "300"),
        ];
        await using var connection = await redis.ConnectAsync();
        var incidents = new IncidentStore(connection);
        var actions = new ActionStore(connection, TimeProvider.System);

        var doomed = ServiceProcess.Start("IncidentOps.Agents", redis.ConnectionString, settings);
        string incidentId;
        ProposedAction approved;
        try
        {
            await TestIncidents.DeployedAsync(new ChangeLog(connection, TimeProvider.System), "checkout-api", "v2.3.1");
            incidentId = await TestIncidents.OpenAsync(incidents, "Checkout 5xx errors since the deploy of release v2.3.1");
            ProposedAction proposed;
            try
            {
                proposed = await Eventually.ValueAsync(
                    async () => (await actions.ListAsync(incidentId)).FirstOrDefault(a => a.Kind == StepKind.ApprovalRequired), FirstAnalysis, "a remediation proposed");
            }
            catch (TimeoutException)
            {
                var runs = await incidents.GetRunsAsync(incidentId);
                output.WriteLine($"Runs: {string.Join(", ", runs.Select(r => $"{r.Key} {r.Value.State}"))}; actions: {string.Join(", ", (await actions.ListAsync(incidentId)).Select(a => $"{a.Title} {a.Kind} {a.State}"))}; worker: {doomed.Errors}");
                throw;
            }

            // What POST /api/v1/incidents/{id}/actions/{actionId}/approve does for the signed-in approver.
            var decision = await actions.DecideAsync(incidentId, proposed.Id, approve: true, "faults-approver", "rollback now", null);
            Assert.Equal(DecisionStatus.Done, decision.Status);

            await target.FirstCallArrived.WaitAsync(Deadline);
            approved = (await actions.GetAsync(incidentId, proposed.Id))!;
            // Recorded as executing before the call went out: what the next worker finds.
            Assert.Equal((ActionState.Running, 1), (approved.State, approved.Attempts));
        }
        finally
        {
            doomed.Kill();
        }

        var killedAt = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Task.FromResult(target.FirstCallAborted), TimeSpan.FromSeconds(20), "the held call to drop with the worker");
        Assert.Equal(ActionState.Running, (await actions.GetAsync(incidentId, approved.Id))!.State);

        using var survivor = ServiceProcess.Start("IncidentOps.Agents", redis.ConnectionString, settings);
        var finished = await Eventually.ValueAsync(
            async () => (await actions.GetAsync(incidentId, approved.Id)) is { State: ActionState.Succeeded or ActionState.Failed } a ? a : null,
            Deadline, $"the action to reach a final state after the restart ({survivor.Errors})");
        var recovery = killedAt.Elapsed;

        var timeline = (await incidents.GetTimelineAsync(incidentId)).Where(e => e.Type.StartsWith("action.", StringComparison.Ordinal)
            && e.Data.GetProperty("action").GetProperty("id").GetString() == approved.Id).ToList();
        var keys = target.Keys.ToList();
        output.WriteLine($"Injected: SIGKILL of the agents worker (pid {doomed.Id}) while its webhook call for action {approved.Id} was held open by the receiver; a new worker started.");
        output.WriteLine($"Checked: the receiver saw {keys.Count} calls with {keys.Distinct().Count()} idempotency key(s) [{string.Join(", ", keys)}], carried out {target.Performed.Count}; " +
            $"the action is {finished.State} after {finished.Attempts} attempts, {recovery.TotalSeconds:F1} s after the kill; outcome: {finished.Outcome}");
        output.WriteLine("Timeline: " + string.Join(" → ", timeline.Select(Describe)));

        Assert.Equal(ActionState.Succeeded, finished.State);
        Assert.All(keys, key => Assert.Equal(approved.Id, key));
        Assert.Equal(2, keys.Count);
        Assert.Single(target.Performed);
        Assert.Equal(2, finished.Attempts);
        Assert.Contains(ActionStore.RetriedAfterRestart, finished.Outcome, StringComparison.Ordinal);
        Assert.Equal(["action.proposed", "action.approved", "action.started", "action.started", "action.succeeded"], timeline.Select(e => e.Type));
        Assert.Null(Reason(timeline[2]));
        Assert.StartsWith(ActionStore.RetriedAfterRestart, Reason(timeline[3]), StringComparison.Ordinal);
    }

    private static string? Reason(OpsEvent e) => e.Data.TryGetProperty("reason", out var reason) ? reason.GetString() : null;

    private static string Describe(OpsEvent e) => Reason(e) is { } reason ? $"{e.Type} ({reason})" : e.Type;
}
