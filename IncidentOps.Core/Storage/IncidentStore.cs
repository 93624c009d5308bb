using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>Incidents, their agent runs and timelines in Redis.</summary>
public sealed class IncidentStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<Incident?> GetAsync(string id)
    {
        var doc = await Db.HashGetAsync(RedisKeys.Incident(id), "doc");
        return doc.IsNullOrEmpty ? null : OpsJson.Deserialize<Incident>(doc.ToString());
    }

    public async Task<string?> FindByDedupAsync(string source, string dedupKey)
    {
        var id = await Db.StringGetAsync(RedisKeys.Dedup(source, dedupKey));
        return id.IsNullOrEmpty ? null : id.ToString();
    }

    public async Task<IReadOnlyDictionary<AgentPhase, AgentRun>> GetRunsAsync(string incidentId)
    {
        var entries = await Db.HashGetAllAsync(RedisKeys.AgentRuns(incidentId));
        return entries
            .Select(e => OpsJson.Deserialize<AgentRun>(e.Value.ToString()))
            .ToDictionary(run => run.Phase);
    }

    public async Task<IReadOnlyList<OpsEvent>> GetTimelineAsync(string incidentId)
    {
        var entries = await Db.ListRangeAsync(RedisKeys.Timeline(incidentId));
        return [.. entries.Select(e => OpsJson.Deserialize<OpsEvent>(e.ToString()))];
    }

    public async Task<IncidentSummary?> GetSummaryAsync(string id)
    {
        var incident = await GetAsync(id);
        return incident is null ? null : IncidentSummary.From(incident, await GetRunsAsync(id));
    }

    /// <summary>Open incidents (newest first), or the most recent incidents of any status.</summary>
    public async Task<IReadOnlyList<IncidentSummary>> ListAsync(bool openOnly, int limit)
    {
        RedisValue[] ids = openOnly
            ? await Db.SetMembersAsync(RedisKeys.OpenIncidents)
            : await Db.SortedSetRangeByRankAsync(RedisKeys.Incidents, 0, limit - 1, Order.Descending);
        var summaries = await Task.WhenAll(ids.Select(id => GetSummaryAsync(id.ToString())));
        return [.. summaries.OfType<IncidentSummary>().OrderByDescending(s => s.DetectedAt).Take(limit)];
    }

    /// <summary>Every stored incident, oldest first, read in pages (for recomputations).</summary>
    public async IAsyncEnumerable<Incident> AllAsync(int pageSize = 500)
    {
        for (long start = 0; ; start += pageSize)
        {
            var ids = await Db.SortedSetRangeByRankAsync(RedisKeys.Incidents, start, start + pageSize - 1);
            if (ids.Length == 0)
            {
                yield break;
            }

            var batch = Db.CreateBatch();
            var reads = ids.Select(id => batch.HashGetAsync(RedisKeys.Incident(id.ToString()), "doc")).ToList();
            batch.Execute();
            foreach (var doc in await Task.WhenAll(reads))
            {
                if (!doc.IsNullOrEmpty)
                {
                    yield return OpsJson.Deserialize<Incident>(doc.ToString());
                }
            }
        }
    }

    /// <summary>Commits the change if nobody changed the incident or its dedup entry since it was read.</summary>
    public async Task<CommitResult> CommitAsync(IncidentChange change, string? traceparent)
    {
        var incident = change.Incident;
        RedisKey[] keys =
        [
            RedisKeys.Incident(incident.Id), change.DedupKey, RedisKeys.OpsEvents, RedisKeys.AgentsWork,
            RedisKeys.Incidents, RedisKeys.OpenIncidents, RedisKeys.Timeline(incident.Id),
        ];
        var args = new List<RedisValue>
        {
            change.ExpectedVersion, incident.Version, OpsJson.Serialize(incident), incident.Id,
            incident.DetectedAt.ToUnixTimeMilliseconds(), incident.IsOpen ? 1 : 0,
            change.ExpectedDedupTarget, change.PointDedupHere ? 1 : 0,
            change.Work is null ? string.Empty : OpsJson.Serialize(change.Work),
            traceparent ?? string.Empty, RedisKeys.StreamNotify, RedisScripts.OpsEventsMaxLength, change.Events.Count,
        };
        foreach (var evt in change.Events)
        {
            args.Add(EventEnvelope.Serialize(evt));
            args.Add(evt.OnTimeline ? 1 : 0);
        }

        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.CommitIncident, keys, [.. args]))!;
        return result[0].ToString() == "ok"
            ? new CommitResult(true, [.. result.Skip(1).Select(r => r.ToString())])
            : CommitResult.Conflict;
    }
}
