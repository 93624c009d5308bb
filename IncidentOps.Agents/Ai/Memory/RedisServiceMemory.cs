using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Agents.Ai.Memory;

/// <summary>What the agents remember per service, in Redis: the latest incidents, their causes and fixes.</summary>
public sealed class RedisServiceMemory(IConnectionMultiplexer redis)
{
    public const int Kept = 50;

    public async Task RememberAsync(ServiceMemoryEntry entry)
    {
        var db = redis.GetDatabase();
        var key = RedisKeys.AiServiceMemory(entry.Service.ToLowerInvariant());
        var tx = db.CreateTransaction();
        _ = tx.ListLeftPushAsync(key, OpsJson.Serialize(entry));
        _ = tx.ListTrimAsync(key, 0, Kept - 1);
        await tx.ExecuteAsync();
    }

    /// <summary>
    /// The latest <paramref name="count"/> incidents of the service, each once with its newest conclusion: a re-analysed
    /// incident is remembered again each time, and must not count as several incidents.
    /// </summary>
    public async Task<IReadOnlyList<ServiceMemoryEntry>> RecallAsync(string service, int count = 10)
    {
        var entries = await redis.GetDatabase().ListRangeAsync(RedisKeys.AiServiceMemory(service.ToLowerInvariant()), 0, Kept - 1);
        return [.. entries.Select(e => OpsJson.Deserialize<ServiceMemoryEntry>(e.ToString())).DistinctBy(e => e.IncidentId).Take(count)];
    }
}
