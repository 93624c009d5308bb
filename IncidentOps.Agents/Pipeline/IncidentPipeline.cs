using System.Diagnostics;
using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// Runs detection → diagnosis → prediction → resolution on one incident. Every state change is stored
/// on the incident and appended to <c>ops:events</c> in one atomic step. Phases already COMPLETED
/// (by this worker or a previous one that died) are not run again.
/// </summary>
public sealed class IncidentPipeline(
    IEnumerable<IAgent> agents,
    IncidentStore store,
    OpsEventLog log,
    TimeProvider time,
    IOptions<AgentOptions> options,
    ILogger<IncidentPipeline> logger)
{
    private readonly IReadOnlyList<IAgent> _agents = [.. agents.OrderBy(a => a.Phase)];

    public async Task RunAsync(string incidentId, CancellationToken cancellationToken)
    {
        var incident = await store.GetAsync(incidentId);
        if (incident is null)
        {
            AgentsLog.IncidentMissing(logger, incidentId);
            return;
        }

        var runs = (await store.GetRunsAsync(incidentId)).ToDictionary();
        foreach (var agent in _agents)
        {
            var run = runs.GetValueOrDefault(agent.Phase) ?? AgentRun.NotStarted(agent.Phase);
            if (run.State == AgentState.Completed)
            {
                continue;
            }

            var earlier = runs.Values
                .Where(r => r.State == AgentState.Completed && r.Result is not null)
                .ToDictionary(r => r.Phase, r => r.Result!.Value);
            runs[agent.Phase] = await RunPhaseAsync(agent, run, new AgentContext(incident, earlier), cancellationToken);
        }
    }

    private async Task<AgentRun> RunPhaseAsync(IAgent agent, AgentRun run, AgentContext context, CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.MaxAttemptsPerPhase;
        for (var attempt = 1; ; attempt++)
        {
            using var activity = AgentsTelemetry.Source.StartActivity($"agent {agent.Phase.ToString().ToLowerInvariant()}");
            activity?.SetTag("incidentops.incident_id", context.Incident.Id);
            var started = time.GetTimestamp();
            run = await MoveAsync(run, context.Incident.Id, AgentState.Initializing, 0, "Starting");
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.PhaseTimeoutSeconds));
                run = await MoveAsync(run, context.Incident.Id, AgentState.Processing, 5, "Reading the incident");
                var result = await agent.RunAsync(
                    context,
                    async (progress, message) => run = await MoveAsync(run, context.Incident.Id, AgentState.Processing, progress, message),
                    timeout.Token);
                run = await MoveAsync(run with { Result = OpsJson.ToElement(result) }, context.Incident.Id, AgentState.Completed, 100, "Done");
                AgentsTelemetry.RecordPhase(agent.Phase, "completed", time.GetElapsedTime(started));
                return run;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var reason = ex is OperationCanceledException ? $"Timed out after {options.Value.PhaseTimeoutSeconds} s" : ex.Message;
                AgentsLog.PhaseFailed(logger, agent.Phase, context.Incident.Id, attempt, ex);
                activity?.SetStatus(ActivityStatusCode.Error, reason);
                run = await MoveAsync(run, context.Incident.Id, AgentState.Failed, run.Progress, reason);
                AgentsTelemetry.RecordPhase(agent.Phase, "failed", time.GetElapsedTime(started));
                if (attempt >= maxAttempts)
                {
                    // Later phases go on with what is known; the incident shows this phase FAILED.
                    return run;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1)), time, cancellationToken);
            }
        }
    }

    private async Task<AgentRun> MoveAsync(AgentRun run, string incidentId, AgentState to, int progress, string message)
    {
        var moved = AgentStateMachine.Move(run, to, progress, time.GetUtcNow(), message);
        var evt = new PendingEvent(
            EventTypes.AgentStateChanged, incidentId, time.GetUtcNow(),
            new AgentStateChanged(moved.Phase, moved.State, moved.Progress, moved.Message, moved.Attempt),
            OnTimeline: to != AgentState.Processing);
        await log.AppendAsync(evt, Activity.Current?.Id, moved);
        return moved;
    }
}
