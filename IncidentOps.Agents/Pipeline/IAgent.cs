using System.Text.Json;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Pipeline;

/// <summary>One of the four agents. It reads the incident and what earlier phases concluded, and returns its own conclusion.</summary>
public interface IAgent
{
    AgentPhase Phase { get; }

    Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken);
}

/// <summary>What an agent sees: the incident and the stored results of the phases before it.</summary>
public sealed record AgentContext(Incident Incident, IReadOnlyDictionary<AgentPhase, JsonElement> EarlierResults)
{
    /// <summary>Other services' incidents open in the same minutes, read once per run by the pipeline (the diagnosis weighs them).</summary>
    public IReadOnlyList<Ai.Reasoning.ConcurrentIncident> Concurrent { get; init; } = [];

    public T? ResultOf<T>(AgentPhase phase) where T : class =>
        EarlierResults.TryGetValue(phase, out var json) ? json.Deserialize<T>(Core.Events.OpsJson.Options) : null;
}
