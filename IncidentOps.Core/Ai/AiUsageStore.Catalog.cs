using System.Globalization;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Core.Ai;

/// <summary>The catalog side of AI usage: the agents' configuration, the hourly series, and each incident's calls.</summary>
public sealed partial class AiUsageStore
{
    /// <summary>Written by the agents worker at its start: what the API reports as configured.</summary>
    public Task PublishConfigurationAsync(AiConfiguration configuration) =>
        Db.StringSetAsync(RedisKeys.AiConfiguration, OpsJson.Serialize(configuration));

    public async Task<AiConfiguration?> ConfigurationAsync()
    {
        var json = await Db.StringGetAsync(RedisKeys.AiConfiguration);
        return json.IsNullOrEmpty ? null : OpsJson.Deserialize<AiConfiguration>(json.ToString());
    }

    /// <summary>The AI calls made for one incident, oldest first, with the totals.</summary>
    public async Task<IncidentAiCalls> IncidentCallsAsync(string incidentId)
    {
        var calls = (await Db.ListRangeAsync(RedisKeys.IncidentAiCalls(incidentId))).Select(c => OpsJson.Deserialize<IncidentAiCall>(c.ToString())).ToList();
        return new IncidentAiCalls(
            incidentId, calls, calls.Count, calls.Sum(c => c.Call.InputTokens), calls.Sum(c => c.Call.OutputTokens),
            Math.Round(calls.Sum(c => c.Call.CostUsd), 8),
            "every AI call the agents made for this incident, oldest first (the last 500 kept); totalCostUsd = the sum of the calls' costUsd "
            + "(price table at call time, the local engine free); prompt and answer as the guard left them (PII redacted), cut at 4,000 characters.");
    }

    /// <summary>The last 24 UTC hours (the current one last) and each pair's hourly points.</summary>
    private async Task<(IReadOnlyList<DateTimeOffset> Hours, IReadOnlyDictionary<string, IReadOnlyList<AiHourPoint>> Points)> LastDayAsync(
        IReadOnlyList<AiModelUsage> models, DateTimeOffset now)
    {
        var current = now.ToUnixTimeMilliseconds() / 3_600_000;
        var hours = Enumerable.Range(0, 24).Select(i => current - 23 + i).ToList();
        var batch = Db.CreateBatch();
        var reads = models.Select(m => (Pair: $"{m.Service}|{m.Model}", Hours: hours.Select(h => batch.HashGetAllAsync(RedisKeys.AiHour(m.Service, m.Model, h))).ToList())).ToList();
        batch.Execute();
        var points = new Dictionary<string, IReadOnlyList<AiHourPoint>>();
        foreach (var (pair, reading) in reads)
        {
            var values = await Task.WhenAll(reading);
            points[pair] = [.. values.Select((entries, i) => Point(DateTimeOffset.FromUnixTimeMilliseconds(hours[i] * 3_600_000), entries))];
        }

        return ([.. hours.Select(h => DateTimeOffset.FromUnixTimeMilliseconds(h * 3_600_000))], points);
    }

    private static AiHourPoint Point(DateTimeOffset hour, HashEntry[] entries)
    {
        var map = entries.ToDictionary(e => e.Name.ToString(), e => e.Value);
        return new AiHourPoint(
            hour, Long(map.GetValueOrDefault("calls")), Long(map.GetValueOrDefault("errors")),
            map.TryGetValue("cost_usd", out var cost) ? Math.Round(double.Parse(cost.ToString(), CultureInfo.InvariantCulture), 6) : 0);
    }
}
