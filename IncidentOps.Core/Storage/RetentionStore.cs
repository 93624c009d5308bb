using IncidentOps.Core.Domain;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// The storage side of retention: the schedules of resolved incidents (when their dedup keys are released, when they are
/// archived), releasing those keys, deleting an incident with everything stored under it, and trimming streams and
/// timelines. What is due and when is decided by the caller (the metrics worker's trimmer).
/// </summary>
public sealed class RetentionStore(IConnectionMultiplexer redis)
{
    // Deletes each key only while it still points at the incident: a dedup key that a newer incident took over stays.
    // KEYS: the dedup and grouping keys; ARGV: 1 the incident id. Returns how many it deleted.
    private const string ReleaseIfOwned = """
        local n = 0
        for i = 1, #KEYS do
          if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]); n = n + 1 end
        end
        return n
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>Schedules a resolved incident (both schedules) or takes one that is open again off them.</summary>
    public Task ScheduleAsync(IEnumerable<(string Id, long? ResolvedMs)> incidents)
    {
        var batch = Db.CreateBatch();
        var writes = new List<Task>();
        foreach (var (id, resolvedMs) in incidents)
        {
            if (resolvedMs is { } at)
            {
                writes.Add(batch.SortedSetAddAsync(RedisKeys.RetentionDedupDue, id, at));
                writes.Add(batch.SortedSetAddAsync(RedisKeys.RetentionArchiveDue, id, at));
            }
            else
            {
                writes.Add(batch.SortedSetRemoveAsync(RedisKeys.RetentionDedupDue, id));
                writes.Add(batch.SortedSetRemoveAsync(RedisKeys.RetentionArchiveDue, id));
            }
        }

        batch.Execute();
        return Task.WhenAll(writes);
    }

    /// <summary>Up to <paramref name="limit"/> incidents of a schedule resolved at or before <paramref name="until"/>, oldest first.</summary>
    public async Task<IReadOnlyList<string>> DueAsync(string schedule, DateTimeOffset until, int limit) =>
        [.. (await Db.SortedSetRangeByScoreAsync(schedule, double.NegativeInfinity, until.ToUnixTimeMilliseconds(), take: limit)).Select(v => v.ToString())];

    public Task UnscheduleAsync(string schedule, string id) => Db.SortedSetRemoveAsync(schedule, id);

    /// <summary>Deletes the incident's dedup and grouping keys that still point at it; returns how many.</summary>
    public async Task<long> ReleaseIndexKeysAsync(Incident incident)
    {
        var keys = incident.Alerts.Select(a => RedisKeys.Dedup(a.Source, a.DedupKey))
            .Concat(incident.GroupKey is { Length: > 0 } group ? [RedisKeys.Group(group)] : [])
            .Where(k => k.StartsWith(RedisKeys.Tag, StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Select(k => (RedisKey)k)
            .ToArray();
        return keys.Length == 0 ? 0 : (long)await Db.ScriptEvaluateAsync(ReleaseIfOwned, keys, [incident.Id]);
    }

    /// <summary>
    /// Deletes the incident and everything stored under it (agent runs, timeline, actions, attachments and their bytes,
    /// AI calls, the analysis marker, its fix marks, its index and schedule entries) in one transaction. Its dedup keys are released
    /// separately, earlier. Returns whether this call deleted the incident (false when another pass was first).
    /// </summary>
    public async Task<bool> DeleteAsync(string incidentId)
    {
        var attachmentIds = await Db.HashKeysAsync(RedisKeys.Attachments(incidentId));
        var actionIds = await Db.HashKeysAsync(RedisKeys.Actions(incidentId));
        RedisKey[] keys =
        [
            RedisKeys.IncidentAlerts(incidentId), RedisKeys.AgentRuns(incidentId), RedisKeys.Timeline(incidentId), RedisKeys.Actions(incidentId),
            RedisKeys.Attachments(incidentId), RedisKeys.IncidentAiCalls(incidentId), RedisKeys.AnalysisPending(incidentId), RedisKeys.FixCredits(incidentId),
            .. attachmentIds.Select(a => (RedisKey)RedisKeys.AttachmentContent(a.ToString())),
        ];
        var tx = Db.CreateTransaction();
        var deleted = tx.KeyDeleteAsync(RedisKeys.Incident(incidentId));
        _ = tx.KeyDeleteAsync(keys);
        _ = tx.SortedSetRemoveAsync(RedisKeys.Incidents, incidentId);
        _ = tx.SetRemoveAsync(RedisKeys.OpenIncidents, incidentId);
        _ = tx.SetRemoveAsync(RedisKeys.AwaitingApproval, [.. actionIds.Select(a => (RedisValue)$"{incidentId}/{a}")]);
        _ = tx.SortedSetRemoveAsync(RedisKeys.RetentionDedupDue, incidentId);
        _ = tx.SortedSetRemoveAsync(RedisKeys.RetentionArchiveDue, incidentId);
        await tx.ExecuteAsync();
        return await deleted;
    }

    /// <summary>Keeps the newest <paramref name="maxEntries"/> of each open incident's timeline; returns the entries dropped.</summary>
    public async Task<long> CapOpenTimelinesAsync(int maxEntries)
    {
        var open = await Db.SetMembersAsync(RedisKeys.OpenIncidents);
        long dropped = 0;
        foreach (var chunk in open.Chunk(1_000))
        {
            var batch = Db.CreateBatch();
            var lengths = chunk.Select(id => batch.ListLengthAsync(RedisKeys.Timeline(id.ToString()))).ToList();
            batch.Execute();
            var trims = Db.CreateBatch();
            var writes = new List<Task>();
            for (var i = 0; i < chunk.Length; i++)
            {
                var over = await lengths[i] - maxEntries;
                if (over > 0)
                {
                    dropped += over;
                    writes.Add(trims.ListTrimAsync(RedisKeys.Timeline(chunk[i].ToString()), -maxEntries, -1));
                }
            }

            trims.Execute();
            await Task.WhenAll(writes);
        }

        return dropped;
    }

    /// <summary>Removes the stream's entries older than <paramref name="keepFrom"/> (exact: an entry's id is its time); returns how many.</summary>
    public async Task<long> TrimStreamAsync(string stream, StreamId keepFrom) =>
        await Db.KeyExistsAsync(stream) ? (long)await Db.ExecuteAsync("XTRIM", stream, "MINID", keepFrom.ToString()) : 0;

    public async Task<bool> BackfilledAsync() => await Db.KeyExistsAsync(RedisKeys.RetentionReady);

    public Task MarkBackfilledAsync(DateTimeOffset at) => Db.StringSetAsync(RedisKeys.RetentionReady, at.ToString("O"));
}
