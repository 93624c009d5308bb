using IncidentOps.Core.Ingest;

namespace IncidentOps.Api;

internal static partial class ApiLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Event {Action} → {Outcome} (incident {IncidentId}, dedup key {DedupKey})")]
    public static partial void Ingested(ILogger logger, EventAction action, IngestStatus outcome, string? incidentId, string dedupKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected event: {Problem}")]
    public static partial void RejectedEvent(ILogger logger, string? problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event log tail failed; retrying")]
    public static partial void TailFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Live subscriber {SubscriberId} fell too far behind and was asked to resubscribe")]
    public static partial void SubscriberOverflow(ILogger logger, Guid subscriberId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SNS message {MessageId} rejected: {Reason}")]
    public static partial void SnsRejected(ILogger logger, string? messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Confirmed the SNS subscription to {TopicArn}")]
    public static partial void SnsSubscribed(ILogger logger, string? topicArn);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident {IncidentId} resolved automatically after its quiet period")]
    public static partial void AutoResolved(ILogger logger, string incidentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drill {DrillId} of scenario {ScenarioId} opened incident {IncidentId} (started by {Actor})")]
    public static partial void DrillStarted(ILogger logger, string drillId, string scenarioId, string incidentId, string actor);
}
