using System.Text.Json;

namespace IncidentOps.Core.Events;

/// <summary>
/// One entry of the <c>ops:events</c> log. <see cref="Id"/> is the Redis stream entry id, which is the
/// event's sequence number: a client that saw id X asks for everything after X.
/// </summary>
public sealed record OpsEvent(string Id, string Type, string? IncidentId, DateTimeOffset At, JsonElement Data);

/// <summary>An event about to be appended: its id is assigned by Redis.</summary>
public sealed record PendingEvent(string Type, string? IncidentId, DateTimeOffset At, object Data, bool OnTimeline = true);

public static class EventTypes
{
    public const string AlertReceived = "alert.received";
    public const string AlertUpdated = "alert.updated";
    public const string IncidentOpened = "incident.opened";
    public const string IncidentUpdated = "incident.updated";
    public const string IncidentAcknowledged = "incident.acknowledged";
    public const string AlertResolved = "alert.resolved";
    public const string IncidentMitigated = "incident.mitigated";
    public const string IncidentResolved = "incident.resolved";
    public const string IncidentClosed = "incident.closed";
    public const string IncidentReopened = "incident.reopened";
    public const string IncidentSeverityChanged = "incident.severity_changed";
    public const string IncidentAssigned = "incident.assigned";
    public const string IncidentNoteAdded = "incident.note_added";
    public const string AgentStateChanged = "agent.state_changed";
    public const string MetricsUpdated = "metrics.updated";
    public const string ChangeRecorded = "change.recorded";
    public const string AttachmentAdded = "attachment.added";
    public const string AttachmentTextExtracted = "attachment.text_extracted";
    public const string ActionProposed = "action.proposed";
    public const string ActionApproved = "action.approved";
    public const string ActionRejected = "action.rejected";
    public const string ActionSuperseded = "action.superseded";
    public const string ActionStarted = "action.started";
    public const string ActionSucceeded = "action.succeeded";
    public const string ActionFailed = "action.failed";

    /// <summary>One call to an AI service (model, tokens, latency, cost, why that model): see <c>Ai.AiCall</c>.</summary>
    public const string AiCall = "ai.call";
}
