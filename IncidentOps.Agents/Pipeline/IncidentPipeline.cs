using System.Diagnostics;
using System.Text.Json;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// Runs detection → diagnosis → prediction → resolution on one incident. Every state change is stored
/// on the incident and appended to <c>ops:events</c> in one atomic step. A phase that finished on the
/// same inputs (by this worker or a previous one that died) is not run again; one whose inputs
/// changed (new alerts, a changed earlier conclusion, new alerts in another service's incident the diagnosis reads) is
/// re-run. When an incident's own alerts changed (its detection ran), the linked concurrent incidents it reads are asked
/// to re-analyse: they read it too, and may have been diagnosed before it opened or grew.
/// </summary>
public sealed class IncidentPipeline(
    IEnumerable<IAgent> agents,
    IncidentStore store,
    OpsEventLog log,
    PhaseDurations durations,
    Actions.ActionPlanner planner,
    TimeProvider time,
    IOptions<AgentOptions> options,
    ILogger<IncidentPipeline> logger,
    AttachmentStore attachments,
    ConcurrentIncidentReader concurrentIncidents,
    AnalysisRequests analyses)
{
    /// <summary>A progress step is published only this long after the phase's last published change.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(750);

    private readonly IReadOnlyList<IAgent> _agents = [.. agents.OrderBy(a => a.Phase)];

    /// <param name="beforePhase">Awaited before each phase that needs to run (the worker makes re-analyses wait there while new incidents are analysed).</param>
    public async Task RunAsync(string incidentId, CancellationToken cancellationToken, Func<CancellationToken, Task>? beforePhase = null)
    {
        var incident = await store.GetAsync(incidentId);
        if (incident is null)
        {
            AgentsLog.IncidentMissing(logger, incidentId);
            return;
        }

        var runs = (await store.GetRunsAsync(incidentId)).ToDictionary();
        var documents = AttachmentEvidence.Digest(await attachments.ListAsync(incidentId));
        var concurrent = await concurrentIncidents.ReadAsync(incident);
        var read = ConcurrentIncidentReader.Digest(concurrent);
        foreach (var agent in _agents)
        {
            var run = runs.GetValueOrDefault(agent.Phase) ?? AgentRun.NotStarted(agent.Phase);
            var digest = PhaseInputs.Digest(agent.Phase, incident, runs, documents, read);
            // A FAILED phase is tried again on every run: what failed it (a model down) may have passed.
            if (run.State == AgentState.Completed && run.InputDigest == digest)
            {
                continue;
            }

            if (beforePhase is not null)
            {
                await beforePhase(cancellationToken);
            }

            var earlier = runs.Values
                .Where(r => r.State == AgentState.Completed && r.Result is not null)
                .ToDictionary(r => r.Phase, r => r.Result!.Value);
            var why = run.State == AgentState.Completed ? "Re-analysing: the incident changed" : "Starting";
            runs[agent.Phase] = await RunPhaseAsync(agent, run with { InputDigest = digest }, why, new AgentContext(incident, earlier) { Concurrent = concurrent }, cancellationToken);
            if (agent.Phase == AgentPhase.Detection && concurrent.Where(c => c.Link >= 1).Select(c => c.Incident.Id).ToList() is { Count: > 0 } linked)
            {
                // Before this item is acknowledged: whoever waits for the queue to drain sees them settle too. Their own
                // analysis reads this incident again; a repeat of its alerts leaves their diagnosis digest unchanged.
                // Linked ones only: in a storm every new incident is open in the same minutes as dozens of others, and
                // re-analysing five of them per arrival for a quarter-weight reading multiplied the storm's work.
                await analyses.RequestAsync(linked, $"concurrent incident {incident.Id} changed");
            }
        }
    }

    private async Task<AgentRun> RunPhaseAsync(IAgent agent, AgentRun run, string why, AgentContext context, CancellationToken cancellationToken)
    {
        var maxAttempts = options.Value.MaxAttemptsPerPhase;
        for (var attempt = 1; ; attempt++)
        {
            using var activity = AgentsTelemetry.Source.StartActivity($"agent {agent.Phase.ToString().ToLowerInvariant()}");
            activity?.SetTag("incidentops.incident_id", context.Incident.Id);
            var started = time.GetTimestamp();
            run = await MoveAsync(run, context.Incident.Id, AgentState.Initializing, 0, attempt == 1 ? why : $"Retrying (attempt {attempt})", started);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(options.Value.PhaseTimeoutSeconds));
                run = await MoveAsync(run, context.Incident.Id, AgentState.Processing, 5, "Reading the incident", started);
                var published = time.GetTimestamp();
                var result = await agent.RunAsync(
                    context,
                    async (progress, message) =>
                    {
                        // Fewer, meaningful events: a step is published only when the phase has been quiet for a while
                        // (a slow model call shows movement); quick steps stay in memory and the next state carries them.
                        if (time.GetElapsedTime(published) < ProgressInterval)
                        {
                            run = AgentStateMachine.Move(run, AgentState.Processing, progress, time.GetUtcNow(), message);
                            return;
                        }

                        run = await MoveAsync(run, context.Incident.Id, AgentState.Processing, progress, message, started);
                        published = time.GetTimestamp();
                    },
                    timeout.Token);
                var element = OpsJson.ToElement(result);
                if (agent.Phase == AgentPhase.Resolution)
                {
                    // Before COMPLETED: a worker dying in between proposes the same (idempotent) actions again.
                    await planner.ProposeAsync(context.Incident, run, element, LeadingCategory(context), Activity.Current?.Id);
                }

                run = await MoveAsync(run with { Result = element }, context.Incident.Id, AgentState.Completed, 100, "Done", started);
                AgentsTelemetry.RecordPhase(agent.Phase, "completed", time.GetElapsedTime(started));
                await RecordDurationAsync(agent.Phase, time.GetElapsedTime(started));
                return run;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var reason = ex is OperationCanceledException ? $"Timed out after {options.Value.PhaseTimeoutSeconds} s" : ex.Message;
                AgentsLog.PhaseFailed(logger, agent.Phase, context.Incident.Id, attempt, ex);
                activity?.SetStatus(ActivityStatusCode.Error, reason);
                run = await MoveAsync(run, context.Incident.Id, AgentState.Failed, run.Progress, reason, started);
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

    /// <summary>Best effort: the phase is COMPLETED already; a lost ETA sample must not turn it into a failure.</summary>
    private async Task RecordDurationAsync(AgentPhase phase, TimeSpan took)
    {
        try
        {
            await durations.RecordAsync(phase, took);
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
        {
            AgentsLog.DurationNotRecorded(logger, phase, ex);
        }
    }

    private static string? LeadingCategory(AgentContext context) =>
        context.ResultOf<DiagnosisResult>(AgentPhase.Diagnosis) is { Unknown: false, Hypotheses: [var first, ..] } ? first.Category : null;

    private async Task<AgentRun> MoveAsync(AgentRun run, string incidentId, AgentState to, int progress, string message, long started)
    {
        var moved = AgentStateMachine.Move(run, to, progress, time.GetUtcNow(), message);
        moved = moved with
        {
            EtaSeconds = to is AgentState.Initializing or AgentState.Processing ? await durations.EtaAsync(moved.Phase, time.GetElapsedTime(started)) : null,
            Worker = AgentWorker.Identity,
        };
        var evt = new PendingEvent(
            EventTypes.AgentStateChanged, incidentId, time.GetUtcNow(),
            new AgentStateChanged(moved.Phase, moved.State, moved.Progress, moved.Message, moved.Attempt)
            {
                EtaSeconds = moved.EtaSeconds,
                Result = to == AgentState.Completed ? moved.Result : null,
            },
            OnTimeline: to != AgentState.Processing);
        await log.AppendAsync(evt, Activity.Current?.Id, moved);
        return moved;
    }
}
