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

    /// <summary>The incident id an index entry (dedup or grouping key) points to, or null.</summary>
    public async Task<string?> FindAsync(string indexKey)
    {
        var id = await Db.StringGetAsync(indexKey);
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

    /// <summary>One page of incidents matching <paramref name="query"/>, newest first, as dashboards show them (with agent states).</summary>
    public async Task<(IReadOnlyList<IncidentSummary> Items, IncidentCursor? Next)> QueryAsync(IncidentQuery query)
    {
        var (items, next) = await QueryIncidentsAsync(query);
        var summaries = await Task.WhenAll(items.Select(async i => IncidentSummary.From(i, await GetRunsAsync(i.Id))));
        return (summaries, next);
    }

    /// <summary>One page of incidents matching <paramref name="query"/>, newest first, and the cursor of the next page.</summary>
    public async Task<(IReadOnlyList<Incident> Items, IncidentCursor? Next)> QueryIncidentsAsync(IncidentQuery query)
    {
        var page = new List<Incident>();
        var openOnly = query.Statuses is { Count: > 0 } statuses && statuses.All(s => s is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated);
        if (openOnly)
        {
            // The open set is small: load it whole and order it here.
            var ids = await Db.SetMembersAsync(RedisKeys.OpenIncidents);
            page.AddRange((await LoadAsync(ids)).Where(query.Matches)
                .OrderByDescending(i => i.DetectedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal)
                .Take(query.Limit + 1));
        }
        else
        {
            var max = query.After?.DetectedMs ?? query.To?.ToUnixTimeMilliseconds() ?? double.PositiveInfinity;
            var min = query.From?.ToUnixTimeMilliseconds() ?? double.NegativeInfinity;
            const int batch = 500;
            for (long skip = 0; page.Count <= query.Limit; skip += batch)
            {
                var ids = await Db.SortedSetRangeByScoreAsync(RedisKeys.Incidents, min, max, Exclude.None, Order.Descending, skip, batch);
                page.AddRange((await LoadAsync(ids)).Where(query.Matches)
                    .OrderByDescending(i => i.DetectedAt.ToUnixTimeMilliseconds()).ThenByDescending(i => i.Id, StringComparer.Ordinal));
                if (ids.Length < batch)
                {
                    break;
                }
            }
        }

        var items = page.Take(query.Limit).ToList();
        return (items, page.Count > query.Limit ? IncidentCursor.Of(items[^1]) : null);
    }

    private async Task<IReadOnlyList<Incident>> LoadAsync(RedisValue[] ids)
    {
        var batch = Db.CreateBatch();
        var reads = ids.Select(id => batch.HashGetAsync(RedisKeys.Incident(id.ToString()), "doc")).ToList();
        batch.Execute();
        return [.. (await Task.WhenAll(reads)).Where(d => !d.IsNullOrEmpty).Select(d => OpsJson.Deserialize<Incident>(d.ToString()))];
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

            foreach (var incident in await LoadAsync(ids))
            {
                yield return incident;
            }
        }
    }

    /// <summary>Commits the change if nobody changed the incident or its dedup entry since it was read.</summary>
    public async Task<CommitResult> CommitAsync(IncidentChange change, string? traceparent)
    {
        var incident = change.Incident;
        var keys = new List<RedisKey>
        {
            RedisKeys.Incident(incident.Id), RedisKeys.OpsEvents,
            change.ExpectedVersion == 0 ? RedisKeys.AgentsUrgent : RedisKeys.AgentsWork,
            RedisKeys.Incidents, RedisKeys.OpenIncidents, RedisKeys.Timeline(incident.Id), RedisKeys.AnalysisPending(incident.Id),
        };
        var args = new List<RedisValue>
        {
            change.ExpectedVersion, incident.Version, OpsJson.Serialize(incident), incident.Id,
            incident.DetectedAt.ToUnixTimeMilliseconds(), incident.IsOpen ? 1 : 0,
            change.Work is null ? string.Empty : OpsJson.Serialize(change.Work),
            traceparent ?? string.Empty, RedisKeys.StreamNotify, RedisScripts.OpsEventsMaxLength, change.Indexes.Count,
        };
        foreach (var index in change.Indexes)
        {
            keys.Add(index.Key);
            args.Add(index.Expected);
            args.Add(index.NewValue is null ? 0 : 1);
            args.Add(index.NewValue ?? string.Empty);
        }

        args.Add(change.Events.Count);
        foreach (var evt in change.Events)
        {
            args.Add(EventEnvelope.Serialize(evt));
            args.Add(evt.OnTimeline ? 1 : 0);
        }

        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.CommitIncident, [.. keys], [.. args]))!;
        return result[0].ToString() == "ok"
            ? new CommitResult(true, [.. result.Skip(1).Select(r => r.ToString())])
            : CommitResult.Conflict;
    }
}
