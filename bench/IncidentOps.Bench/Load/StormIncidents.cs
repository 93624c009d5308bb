using System.Globalization;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Bench.Load;

/// <summary>
/// Every incident opened during the storm, the load's own as well as the probes: how many, how fast they opened, and the
/// time from each one's opening to its first analysis's fourth COMPLETED (the probes alone would hide a queue of the load's).
/// </summary>
public static class StormIncidents
{
    public static async Task PrintAsync(IDatabase db, DateTimeOffset stormStarted, TextWriter output)
    {
        var ids = await db.SortedSetRangeByScoreWithScoresAsync(RedisKeys.Incidents, stormStarted.ToUnixTimeMilliseconds());
        var times = new List<double>();
        foreach (var id in ids)
        {
            if (await ProbeTimeline.FirstAnalysisAsync(db, id.Element.ToString()) is { } first)
            {
                times.Add((first.Phases.Max(p => p.End) - first.Opened) / 1000);
            }
        }

        times.Sort();
        var openedBy = ids.Select(i => (i.Score - stormStarted.ToUnixTimeMilliseconds()) / 1000).Order().ToList();
        output.WriteLine($"  every incident opened during the storm: {ids.Length} (half of them within {S(Percentiles.Of(openedBy, 50))} s of its start, all within {S(openedBy.LastOrDefault(double.NaN))} s); "
            + $"first analysis's four agents COMPLETED for {times.Count}: opened → fourth COMPLETED p50 {S(Percentiles.Of(times, 50))} s, p95 {S(Percentiles.Of(times, 95))} s, max {S(times.LastOrDefault(double.NaN))} s");
    }

    private static string S(double seconds) => double.IsNaN(seconds) ? "-" : seconds.ToString("0.00", CultureInfo.InvariantCulture);
}
