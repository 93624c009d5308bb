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
    public static AgentRun NotStarted(AgentPhase phase) =>
        new(phase, AgentState.Pending, 0, null, null, null, 0, null, null);
}
