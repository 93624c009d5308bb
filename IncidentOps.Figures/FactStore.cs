using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Figures;

/// <summary>
/// The metrics worker's per-incident facts in Redis, packed so a full recompute loads them in one read: a string of
/// fixed 48-byte records (<see cref="FactRow"/>), one slot per incident, written in place with SETRANGE; a hash of
/// incident id → slot and one of service name → index. All under one key prefix (<see cref="RedisKeys.MetricsFacts"/>).
/// </summary>
public sealed class FactStore(IConnectionMultiplexer redis, IncidentStore incidents, ActionStore? actions = null)
{
    // Gives each name (incident ids prefixed "i", services "s") its number, allocating the next one on first sight.
    private const string AssignScript = """
        local out = {}
        for i = 1, #ARGV do
          local name = ARGV[i]
          local map, counter = KEYS[1], KEYS[2]
          if string.sub(name, 1, 1) == 's' then map, counter = KEYS[3], KEYS[4] end
          local n = redis.call('HGET', map, name)
          if not n then
            n = redis.call('INCR', counter) - 1
            redis.call('HSET', map, name, n)
          end
          out[i] = tonumber(n)
        end
        return out
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>A counter raised whenever a fact changes, so readers can tell whether what they computed is current.</summary>
    public static string VersionKey(string prefix) => new Keys(prefix).Version;

    public async Task<FactTable> LoadAsync(string prefix = RedisKeys.MetricsFacts)
    {
        var keys = new Keys(prefix);
        var data = Db.StringGetAsync(keys.Data);
        var services = Db.HashGetAllAsync(keys.Services);
        var names = new string[(await services).Length];
        foreach (var entry in await services)
        {
            names[(int)entry.Value] = entry.Name.ToString()[1..];
        }

        var bytes = (ReadOnlyMemory<byte>)(await data);
        return FactTable.Decode(bytes.Span, names);
    }

    /// <summary>
    /// The stored name of the service that <paramref name="service"/> names (case-insensitively), or null when no fact
    /// has it: one read of the service index, without loading the facts.
    /// </summary>
    public async Task<string?> FindServiceAsync(string service, string prefix = RedisKeys.MetricsFacts) =>
        (await Db.HashKeysAsync(new Keys(prefix).Services))
            .Select(name => name.ToString()[1..])
            .Where(name => string.Equals(name, service, StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .FirstOrDefault();

    /// <summary>The stored facts of these incidents, by id (ids without one are left out).</summary>
    public async Task<IReadOnlyDictionary<string, FactRow>> GetAsync(IReadOnlyList<string> ids, string prefix = RedisKeys.MetricsFacts)
    {
        var keys = new Keys(prefix);
        var slots = await Db.HashGetAsync(keys.Slots, [.. ids.Select(id => (RedisValue)("i" + id))]);
        var found = new Dictionary<string, FactRow>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (slots[i].IsNullOrEmpty)
            {
                continue;
            }

            var slot = (int)slots[i];
            var bytes = (ReadOnlyMemory<byte>)await Db.StringGetRangeAsync(keys.Data, (long)slot * FactRow.Size, ((long)slot * FactRow.Size) + FactRow.Size - 1);
            if (FactRow.TryRead(bytes.Span, slot, out var row))
            {
                found[ids[i]] = row;
            }
        }

        return found;
    }

    /// <summary>Writes the facts whose stored record differs; returns those it wrote.</summary>
    public async Task<IReadOnlyList<IncidentFact>> SaveAsync(IReadOnlyList<IncidentFact> facts, string prefix = RedisKeys.MetricsFacts)
    {
        var keys = new Keys(prefix);
        var changed = new List<IncidentFact>();
        foreach (var chunk in facts.Chunk(2_000))
        {
            var names = chunk.SelectMany(f => new[] { "i" + f.Id, "s" + f.Service, "i" + (f.PreviousIncidentId ?? f.Id) }).ToArray();
            var numbers = (int[])(await Db.ScriptEvaluateAsync(AssignScript, [keys.Slots, keys.NextSlot, keys.Services, keys.NextService], [.. names.Select(n => (RedisValue)n)]))!;

            var batch = Db.CreateBatch();
            var current = new List<Task<RedisValue>>(chunk.Length);
            var rows = new FactRow[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                var slot = numbers[3 * i];
                rows[i] = chunk[i].ToRow(slot, numbers[(3 * i) + 1], chunk[i].PreviousIncidentId is null ? -1 : numbers[(3 * i) + 2]);
                current.Add(batch.StringGetRangeAsync(keys.Data, (long)slot * FactRow.Size, ((long)slot * FactRow.Size) + FactRow.Size - 1));
            }

            batch.Execute();
            var writes = Db.CreateBatch();
            var pending = new List<Task>();
            for (var i = 0; i < chunk.Length; i++)
            {
                var bytes = rows[i].ToBytes();
                if (!((ReadOnlyMemory<byte>)await current[i]).Span.SequenceEqual(bytes))
                {
                    pending.Add(writes.StringSetRangeAsync(keys.Data, (long)rows[i].Slot * FactRow.Size, bytes));
                    changed.Add(chunk[i]);
                }
            }

            if (pending.Count > 0)
            {
                pending.Add(writes.StringIncrementAsync(keys.Version));
            }

            writes.Execute();
            await Task.WhenAll(pending);
        }

        return changed;
    }

    /// <summary>The current fact of each incident (none for one that no longer exists), read from the stored incident and its agent runs.</summary>
    public async Task<IReadOnlyList<IncidentFact>> ReadFromIncidentsAsync(IEnumerable<string> ids)
    {
        var facts = await Task.WhenAll(ids.Select(async id =>
            await incidents.GetAsync(id) is { Drill: false } incident ? IncidentFact.From(incident, await incidents.GetRunsAsync(id), await ActionsOf(id)) : null));
        return [.. facts.OfType<IncidentFact>()];
    }

    private async Task<IReadOnlyList<ProposedAction>> ActionsOf(string incidentId) => actions is null ? [] : await actions.ListAsync(incidentId);

    /// <summary>Writes the fact of every stored incident under <paramref name="prefix"/>: the full recompute path.</summary>
    public async Task<int> RebuildAsync(string prefix = RedisKeys.MetricsFacts, int pageSize = 500)
    {
        var count = 0;
        var page = new List<Incident>(pageSize);
        await foreach (var incident in incidents.AllAsync(pageSize))
        {
            page.Add(incident);
            if (page.Count == pageSize)
            {
                count += await SavePageAsync(page, prefix);
            }
        }

        return count + await SavePageAsync(page, prefix);
    }

    private async Task<int> SavePageAsync(List<Incident> page, string prefix)
    {
        // Drills are worked like any incident but are not business: they never become facts.
        var facts = await Task.WhenAll(page.Where(i => !i.Drill).Select(async i => IncidentFact.From(i, await incidents.GetRunsAsync(i.Id), await ActionsOf(i.Id))));
        await SaveAsync(facts, prefix);
        page.Clear();
        return facts.Length;
    }

    private sealed record Keys(string Prefix)
    {
        public string Data => $"{Prefix}:data";

        public string Slots => $"{Prefix}:slots";

        public string NextSlot => $"{Prefix}:slots:next";

        public string Services => $"{Prefix}:services";

        public string NextService => $"{Prefix}:services:next";

        public string Version => $"{Prefix}:version";
    }
}
