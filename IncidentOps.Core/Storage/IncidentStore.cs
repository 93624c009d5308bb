using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>Incidents, their agent runs and timelines in Redis.</summary>
public sealed class IncidentStore(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>The incident with every one of its alerts (document and alerts read in one transaction).</summary>
    public async Task<Incident?> GetAsync(string id)
    {
        var read = Db.CreateTransaction();
        var doc = read.HashGetAsync(RedisKeys.Incident(id), "doc");
        var alerts = read.HashGetAllAsync(RedisKeys.IncidentAlerts(id));
        await read.ExecuteAsync();
        return StoredIncident.Whole(await doc, await alerts);
    }

    /// <summary>
    /// The incident with at most <paramref name="maxAlerts"/> of its alerts (whichever the hash scan gives first), for a
    /// reader that weighs another incident beside its own: in a storm one incident may hold thousands of alerts.
    /// </summary>
    public async Task<Incident?> GetAsync(string id, int maxAlerts)
    {
        var doc = await Db.HashGetAsync(RedisKeys.Incident(id), "doc");
        var alerts = new List<HashEntry>(maxAlerts);
        await foreach (var entry in Db.HashScanAsync(RedisKeys.IncidentAlerts(id), pageSize: maxAlerts))
        {
            alerts.Add(entry);
            if (alerts.Count == maxAlerts)
            {
                break;
            }
        }

        return StoredIncident.Whole(doc, [.. alerts]);
    }

    /// <summary>
    /// What an ingest decision about one alert reads, in two round trips (both index entries, then the documents and the
    /// alert): the incident its dedup entry points to (holding only that alert, with the counts of all) and the incident
    /// its grouping key points to (holding no alert).
    /// A document written before the alerts moved out is read whole instead.
    /// </summary>
    public async Task<AlertContext> ReadForAlertAsync(string dedupKey, string groupIndex, string alertId)
    {
        var ids = await Db.StringGetAsync([dedupKey, groupIndex]);
        var (knownId, groupId) = (ids[0].IsNullOrEmpty ? null : ids[0].ToString(), ids[1].IsNullOrEmpty ? null : ids[1].ToString());
        var batch = Db.CreateBatch();
        var knownDoc = knownId is null ? null : batch.HashGetAsync(RedisKeys.Incident(knownId), "doc");
        var knownAlert = knownId is null ? null : batch.HashGetAsync(RedisKeys.IncidentAlerts(knownId), alertId);
        var groupDoc = groupId is null || groupId == knownId ? null : batch.HashGetAsync(RedisKeys.Incident(groupId), "doc");
        batch.Execute();
        var known = knownId is null ? null : await PartAsync(knownId, await knownDoc!, await knownAlert!);
        var group = groupId is null ? null : groupId == knownId ? known : await PartAsync(groupId, await groupDoc!, RedisValue.Null);
        return new AlertContext(knownId, known, groupId, group);
    }

    private async Task<Incident?> PartAsync(string id, RedisValue doc, RedisValue alert)
    {
        if (doc.IsNullOrEmpty)
        {
            return null;
        }

        var incident = OpsJson.Deserialize<Incident>(doc.ToString());
        // A document written before the alerts moved to their own hash holds them inline: read it whole.
        return incident.Alerts.Count > 0 ? await GetAsync(id)
            : incident with { Alerts = alert.IsNullOrEmpty ? [] : [OpsJson.Deserialize<Alert>(alert.ToString())] };
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

    /// <summary>
    /// The open incidents detected since <paramref name="from"/>, newest first, at most <paramref name="limit"/>, each with
    /// its document only (the counts, not the alerts), and each one's <paramref name="phase"/> run if it has one. Reads ids
    /// and scores, then one batch of documents and runs: its cost does not grow with how many alerts the incidents hold
    /// (in a storm, loading every open incident whole made each analysis read every alert of the storm).
    /// </summary>
    public Task<IReadOnlyList<(Incident Incident, AgentRun? Run)>> OpenSinceAsync(DateTimeOffset from, int limit, AgentPhase phase) =>
        OpenBetweenAsync(from, DateTimeOffset.MaxValue, limit, phase);

    /// <summary>Open incidents detected in [<paramref name="from"/>, <paramref name="to"/>], the <paramref name="limit"/> newest, with their run of <paramref name="phase"/>; documents only, no alerts.</summary>
    public async Task<IReadOnlyList<(Incident Incident, AgentRun? Run)>> OpenBetweenAsync(DateTimeOffset from, DateTimeOffset to, int limit, AgentPhase phase)
    {
        var ids = await Db.SetMembersAsync(RedisKeys.OpenIncidents);
        if (ids.Length == 0)
        {
            return [];
        }

        var detected = await Db.SortedSetScoresAsync(RedisKeys.Incidents, ids);
        var newest = ids.Zip(detected)
            .Where(x => x.Second is { } ms && ms >= from.ToUnixTimeMilliseconds() && (to == DateTimeOffset.MaxValue || ms <= to.ToUnixTimeMilliseconds()))
            .OrderByDescending(x => x.Second).ThenByDescending(x => x.First.ToString(), StringComparer.Ordinal)
            .Take(limit)
            .Select(x => x.First.ToString())
            .ToList();
        var batch = Db.CreateBatch();
        var reads = newest.Select(id => (Doc: batch.HashGetAsync(RedisKeys.Incident(id), "doc"), Run: batch.HashGetAsync(RedisKeys.AgentRuns(id), RedisKeys.PhaseField(phase)))).ToList();
        batch.Execute();
        var found = new List<(Incident, AgentRun?)>(reads.Count);
        foreach (var read in reads)
        {
            if (StoredIncident.Header(await read.Doc) is { IsOpen: true } incident)
            {
                var run = await read.Run;
                found.Add((incident, run.IsNullOrEmpty ? null : OpsJson.Deserialize<AgentRun>(run.ToString())));
            }
        }

        return found;
    }

    /// <summary>One page of incidents matching <paramref name="query"/>, newest first, as dashboards show them (with agent states).</summary>
    public async Task<(IReadOnlyList<IncidentSummary> Items, IncidentCursor? Next)> QueryAsync(IncidentQuery query)
    {
        var (items, next) = await QueryIncidentsAsync(query);
        var summaries = await Task.WhenAll(items.Select(async i => IncidentSummary.From(i, await GetRunsAsync(i.Id))));
        return (summaries, next);
    }

    /// <summary>One page of incidents matching <paramref name="query"/>, newest first, and the cursor of the next page.</summary>
    /// <param name="withAlerts">
    /// False reads the documents only (the counts, no alerts): for a reader of times and statuses, whose cost must not grow
    /// with how many alerts the incidents hold (every candidate is read before the query filters it).
    /// </param>
    public async Task<(IReadOnlyList<Incident> Items, IncidentCursor? Next)> QueryIncidentsAsync(IncidentQuery query, bool withAlerts = true)
    {
        var page = new List<Incident>();
        var openOnly = query.Statuses is { Count: > 0 } statuses && statuses.All(s => s is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated);
        if (openOnly)
        {
            // The open set is small: load it whole and order it here.
            var ids = await Db.SetMembersAsync(RedisKeys.OpenIncidents);
            page.AddRange((await LoadAsync(ids, withAlerts)).Where(query.Matches)
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
                page.AddRange((await LoadAsync(ids, withAlerts)).Where(query.Matches)
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

    private async Task<IReadOnlyList<Incident>> LoadAsync(RedisValue[] ids, bool withAlerts = true)
    {
        var batch = Db.CreateBatch();
        var reads = ids.Select(id => (
            Doc: batch.HashGetAsync(RedisKeys.Incident(id.ToString()), "doc"),
            Alerts: withAlerts ? batch.HashGetAllAsync(RedisKeys.IncidentAlerts(id.ToString())) : null)).ToList();
        batch.Execute();
        var incidents = new List<Incident>(reads.Count);
        foreach (var read in reads)
        {
            if ((read.Alerts is null ? StoredIncident.Header(await read.Doc) : StoredIncident.Whole(await read.Doc, await read.Alerts)) is { } incident)
            {
                incidents.Add(incident);
            }
        }

        return incidents;
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
            RedisKeys.IncidentAlerts(incident.Id),
        };
        var args = new List<RedisValue>
        {
            change.ExpectedVersion, incident.Version, StoredIncident.Document(incident), incident.Id,
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

        // The alerts this copy holds: the one a decision changed, or all of them (a whole read, e.g. a person's resolve).
        args.Add(incident.Alerts.Count);
        foreach (var alert in incident.Alerts)
        {
            args.Add(alert.Id);
            args.Add(OpsJson.Serialize(alert));
        }

        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.CommitIncident, [.. keys], [.. args]))!;
        return result[0].ToString() == "ok"
            ? new CommitResult(true, [.. result.Skip(1).Select(r => r.ToString())])
            : CommitResult.Conflict;
    }
}
