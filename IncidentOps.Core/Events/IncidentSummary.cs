using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Events;

public sealed record AgentStatus(AgentState State, int Progress, string? Message)
{
    /// <summary>When the phase's current run started, and when it finished: the console shows how long a finished agent took.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }
}

/// <summary>
/// What a dashboard shows of an incident; carried whole in incident events so applying one twice is
/// harmless. In incident events <see cref="Agents"/> is null: agent states travel in their own
/// events, and a summary written by the intake must not overwrite a newer agent state.
/// </summary>
public sealed record IncidentSummary(
    string Id,
    string Title,
    IncidentStatus Status,
    Severity Severity,
    string Service,
    int AlertCount,
    DateTimeOffset DetectedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ResolvedAt,
    IReadOnlyDictionary<AgentPhase, AgentStatus>? Agents)
{
    public DateTimeOffset? MitigatedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    public string? Assignee { get; init; }

    public string? PreviousIncidentId { get; init; }

    /// <summary>A drill: shown as one, left out of the business figures.</summary>
    public bool Drill { get; init; }

    public static IncidentSummary From(Incident incident, IReadOnlyDictionary<AgentPhase, AgentRun>? runs) => new(
        incident.Id,
        incident.Title,
        incident.Status,
        incident.Severity,
        incident.Service,
        incident.AlertCount,
        incident.DetectedAt,
        incident.AcknowledgedAt,
        incident.ResolvedAt,
        runs is null ? null : Enum.GetValues<AgentPhase>().ToDictionary(
            phase => phase,
            phase => runs.TryGetValue(phase, out var run)
                ? new AgentStatus(run.State, run.Progress, run.Message) { StartedAt = run.StartedAt, FinishedAt = run.FinishedAt }
                : new AgentStatus(AgentState.Pending, 0, null)))
    {
        MitigatedAt = incident.MitigatedAt,
        ClosedAt = incident.ClosedAt,
        Assignee = incident.Assignee,
        PreviousIncidentId = incident.PreviousIncidentId,
        Drill = incident.Drill,
    };
}

public sealed record AgentStateChanged(AgentPhase Phase, AgentState State, int Progress, string? Message, int Attempt)
{
    /// <summary>Seconds the phase is expected to need still (from its observed durations); null when not known yet.</summary>
    public double? EtaSeconds { get; init; }

    /// <summary>On COMPLETED, what the agent concluded (the same typed result stored on the incident).</summary>
    public System.Text.Json.JsonElement? Result { get; init; }
}

/// <summary>An incident event: the incident after the change, and who made it and why (null for automatic changes).</summary>
public sealed record IncidentChanged(IncidentSummary Incident)
{
    public string? Actor { get; init; }

    public string? Reason { get; init; }

    public string? Note { get; init; }
}

public sealed record AlertReceived(Alert Alert);
