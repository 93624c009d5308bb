using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Asks the agents to analyse incidents again although none of their own alerts changed: another incident they weigh as
/// evidence opened or grew. Coalesced as new alerts are: an incident with an analysis pending already gets no second one.
/// </summary>
public sealed class AnalysisRequests(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <returns>How many were queued (the others had an analysis pending).</returns>
    public async Task<int> RequestAsync(IReadOnlyList<string> incidentIds, string reason)
    {
        if (incidentIds.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        RedisKey[] keys = [RedisKeys.AgentsWork, .. incidentIds.Select(id => (RedisKey)RedisKeys.AnalysisPending(id))];
        RedisValue[] args = [RedisKeys.StreamNotify, .. incidentIds.Select(id => (RedisValue)OpsJson.Serialize(new WorkItem(id, reason, now)))];
        return (int)await redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.RequestAnalysis, keys, args);
    }
}
