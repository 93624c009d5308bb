using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Memory;

/// <summary>Per-service incident memory: Redis always (<see cref="RedisServiceMemory"/>); the Bedrock agent's memory too when configured.</summary>
public sealed class ServiceMemory(AiEngine engine, PaidCalls calls, RedisServiceMemory store, BedrockAgentClient agents, IOptions<AiOptions> options, TimeProvider time)
{
    /// <summary>Remembers the incident's cause and fix for its service: in Redis always, and in the Bedrock agent's memory when configured.</summary>
    public async Task RememberAsync(IncidentAiContext context, string? cause, string? resolution, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        var entry = new ServiceMemoryEntry(incident.Id, incident.Service, incident.Title, cause, resolution, time.GetUtcNow());
        await store.RememberAsync(entry);
        var settings = options.Value;
        if (engine.OnAws && settings.AgentId is { Length: > 0 } agentId && settings.AgentAliasId is { } alias)
        {
            var text = LocalGuard.Redact($"Remember this incident on {entry.Service}: {entry.Summary}. Cause: {entry.Cause ?? "unknown"}. Fix: {entry.Resolution ?? "unknown"}.").Text;
            await calls.CallAsync(AiServices.BedrockAgents, agentId, "InvokeAgent", context,
                async ct => (await agents.InvokeAsync(agentId, alias, SessionId(entry.IncidentId), MemoryId(entry.Service), text, endSession: true, ct), 0, 0),
                cancellationToken);
        }
    }

    /// <summary>What is remembered about the incident's service; with a Bedrock agent, its memory's summary comes first.</summary>
    public async Task<IReadOnlyList<ServiceMemoryEntry>> RecallAsync(IncidentAiContext context, CancellationToken cancellationToken)
    {
        var service = context.Incident.Service;
        // What the service's *other* incidents concluded: an incident re-analysed must not count its own earlier conclusion as history.
        var remembered = (await store.RecallAsync(service)).Where(e => e.IncidentId != context.Incident.Id).ToList();
        var settings = options.Value;
        if (engine.OnAws && settings.AgentId is { Length: > 0 } agentId && settings.AgentAliasId is { } alias)
        {
            var (summary, _) = await calls.CallAsync(AiServices.BedrockAgents, agentId, "InvokeAgent", context,
                async ct => (await agents.InvokeAsync(agentId, alias, SessionId(context.Incident.Id), MemoryId(service),
                    $"What do you remember about earlier incidents on {service}? Answer briefly.", endSession: false, ct), 0, 0),
                cancellationToken);
            if (!string.IsNullOrWhiteSpace(summary))
            {
                return [new ServiceMemoryEntry("bedrock-agent-memory", service, summary, null, null, DateTimeOffset.MinValue), .. remembered];
            }
        }

        return remembered;
    }

    // Memory ids and session ids allow [0-9a-zA-Z._:-]; service names are close, so map the rest to '-'.
    private static string MemoryId(string service) => new([.. $"svc-{service}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' ? c : '-')]);

    private static string SessionId(string incidentId) => MemoryId(incidentId)[4..];
}
