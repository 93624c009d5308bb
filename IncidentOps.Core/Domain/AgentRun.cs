using System.Text.Json;

namespace IncidentOps.Core.Domain;

/// <summary>Where one agent is on one incident, and what it concluded.</summary>
public sealed record AgentRun(
    AgentPhase Phase,
    AgentState State,
    int Progress,
    string? Message,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    int Attempt,
    JsonElement? Result,
    string? Error)
{
    /// <summary>Digest of what the phase read (alerts, earlier conclusions): the phase runs again only when it changes.</summary>
    public string? InputDigest { get; init; }

    /// <summary>Seconds this phase is expected to need still, from the observed durations of the phase; null when unknown.</summary>
    public double? EtaSeconds { get; init; }

    public static AgentRun NotStarted(AgentPhase phase) =>
        new(phase, AgentState.Pending, 0, null, null, null, 0, null, null);
}
