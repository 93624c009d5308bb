using IncidentOps.Testing;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Bench;

/// <summary>Writes generated incidents as the API stores them: the document, the id index, the open set and the agents' runs.</summary>
public sealed class HistoryLoader(ConnectionMultiplexer redis)
{
    public async Task StoreAsync(IReadOnlyList<GeneratedIncident> history)
    {
        var db = redis.GetDatabase();
        foreach (var chunk in history.Chunk(2_000))
        {
            var batch = db.CreateBatch();
            var writes = new List<Task>();
            foreach (var (incident, candidate, plan) in chunk)
            {
                writes.Add(batch.HashSetAsync(RedisKeys.Incident(incident.Id), [new("doc", OpsJson.Serialize(incident)), new("version", incident.Version)]));
                writes.Add(batch.SortedSetAddAsync(RedisKeys.Incidents, incident.Id, incident.DetectedAt.ToUnixTimeMilliseconds()));
                writes.Add(batch.HashSetAsync(RedisKeys.AgentRuns(incident.Id), [.. Runs(incident, candidate, plan)]));
                if (incident.IsOpen)
                {
                    writes.Add(batch.SetAddAsync(RedisKeys.OpenIncidents, incident.Id));
                }
            }

            batch.Execute();
            await Task.WhenAll(writes);
        }
    }

    private static IEnumerable<HashEntry> Runs(Incident incident, bool candidate, bool plan)
    {
        var at = incident.DetectedAt;
        var prediction = new AgentRun(AgentPhase.Prediction, AgentState.Completed, 100, "Done", at, at, 1,
            OpsJson.ToElement(new { preventionCandidate = candidate }), null);
        yield return new(RedisKeys.PhaseField(AgentPhase.Prediction), OpsJson.Serialize(prediction));
        if (plan)
        {
            yield return new(RedisKeys.PhaseField(AgentPhase.Resolution), OpsJson.Serialize(prediction with { Phase = AgentPhase.Resolution, Result = null }));
        }
    }
}
