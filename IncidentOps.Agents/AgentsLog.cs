using IncidentOps.Core.Domain;

namespace IncidentOps.Agents;

internal static partial class AgentsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline started for incident {IncidentId} ({Reason})")]
    public static partial void PipelineStarted(ILogger logger, string incidentId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline finished for incident {IncidentId}")]
    public static partial void PipelineFinished(ILogger logger, string incidentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Work item for incident {IncidentId}, which does not exist: skipped")]
    public static partial void IncidentMissing(ILogger logger, string incidentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Phase} failed on incident {IncidentId} (attempt {Attempt})")]
    public static partial void PhaseFailed(ILogger logger, AgentPhase phase, string incidentId, int attempt, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading agents:work failed; retrying")]
    public static partial void QueueReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {EntryId} is unreadable and was dropped")]
    public static partial void UnreadableWork(ILogger logger, string entryId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Action {ActionId} of incident {IncidentId} ran through {Executor}: succeeded={Succeeded}")]
    public static partial void ActionFinished(ILogger logger, string actionId, string incidentId, string executor, bool succeeded);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {EntryId} for incident {IncidentId} failed; this worker runs it again in {RetrySeconds} s")]
    public static partial void WorkFailed(ILogger logger, string entryId, string incidentId, double retrySeconds, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Work item {EntryId} was delivered {Deliveries} times without finishing: moved to agents:dead")]
    public static partial void DeadLettered(ILogger logger, string entryId, long deliveries);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the lease of incident {IncidentId} (work item {EntryId}): another worker took it over; stopping this run")]
    public static partial void LeaseLost(ILogger logger, string incidentId, string entryId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The duration of the {Phase} phase was not recorded (the ETA misses one sample)")]
    public static partial void DurationNotRecorded(ILogger logger, AgentPhase phase, Exception exception);
}
