using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Core.Figures;

/// <summary>The metrics worker's per-incident facts: one Redis hash, incident id → <see cref="IncidentFact"/> bytes.</summary>
public sealed class FactStore(IConnectionMultiplexer redis, IncidentStore incidents)
{
    private IDatabase Db => redis.GetDatabase();

    public async Task<IReadOnlyList<IncidentFact>> LoadAsync(string key = RedisKeys.MetricsFacts)
    {
        var entries = await Db.HashGetAllAsync(key);
        var facts = new List<IncidentFact>(entries.Length);
        foreach (var entry in entries)
        {
            if (IncidentFact.FromBytes(entry.Name.ToString(), ((ReadOnlyMemory<byte>)entry.Value).Span) is { } fact)
            {
                facts.Add(fact);
            }
        }

        return facts;
    }

    /// <summary>The stored facts of these incidents, by id (absent ids are left out).</summary>
    public async Task<IReadOnlyDictionary<string, IncidentFact>> GetAsync(IReadOnlyList<string> ids, string key = RedisKeys.MetricsFacts)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<string, IncidentFact>();
        }

        var values = await Db.HashGetAsync(key, [.. ids.Select(id => (RedisValue)id)]);
        var found = new Dictionary<string, IncidentFact>(StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!values[i].IsNullOrEmpty && IncidentFact.FromBytes(ids[i], ((ReadOnlyMemory<byte>)values[i]).Span) is { } fact)
            {
                found[ids[i]] = fact;
            }
        }

        return found;
    }

    public Task SaveAsync(IReadOnlyCollection<IncidentFact> facts, string key = RedisKeys.MetricsFacts) =>
        facts.Count == 0
            ? Task.CompletedTask
            : Db.HashSetAsync(key, [.. facts.Select(f => new HashEntry(f.Id, f.ToBytes()))]);

    /// <summary>The current fact of each incident (null for one that no longer exists), read from the stored incident and its agent runs.</summary>
    public async Task<IReadOnlyList<IncidentFact>> ReadFromIncidentsAsync(IEnumerable<string> ids)
    {
        var facts = await Task.WhenAll(ids.Select(async id =>
            await incidents.GetAsync(id) is { } incident ? IncidentFact.From(incident, await incidents.GetRunsAsync(id)) : null));
        return [.. facts.OfType<IncidentFact>()];
    }

    /// <summary>Writes the fact of every stored incident into <paramref name="key"/>; the full recompute path.</summary>
    public async Task<int> RebuildAsync(string key = RedisKeys.MetricsFacts, int pageSize = 500)
    {
        var count = 0;
        var page = new List<Incident>(pageSize);
        await foreach (var incident in incidents.AllAsync(pageSize))
        {
            page.Add(incident);
            if (page.Count == pageSize)
            {
                count += await SavePageAsync(page, key);
            }
        }

        return count + await SavePageAsync(page, key);
    }

    private async Task<int> SavePageAsync(List<Incident> page, string key)
    {
        var facts = await Task.WhenAll(page.Select(async i => IncidentFact.From(i, await incidents.GetRunsAsync(i.Id))));
        await SaveAsync(facts, key);
        page.Clear();
        return facts.Length;
    }
}
