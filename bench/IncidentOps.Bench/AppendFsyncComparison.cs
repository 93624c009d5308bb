using System.Globalization;
using IncidentOps.Bench.Load;

namespace IncidentOps.Bench;

/// <summary>
/// <c>ingest --appendfsync everysec,always</c>: the same mixed load against a fresh system per redis-server
/// <c>appendfsync</c> policy, one after the other in the same run, and the ratio of each to the first: what durability
/// against a machine crash costs in accepted alerts per second and latency.
/// </summary>
public static class AppendFsyncComparison
{
    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        output.WriteLine($"ingest, appendfsync {string.Join(" vs ", options.AppendFsync)}: {Machine.Describe()}");
        output.WriteLine($"  {options.Seconds} s per policy, {options.Connections} connections, {options.NewShare:P0} new alerts, a fresh redis-server and API per policy");
        var runs = new List<(string Policy, (LoadResult Result, double ClientCores) Run, int Missing, string Load)>();
        foreach (var policy in options.AppendFsync)
        {
            await using var system = await SystemUnderTest.StartAsync(options, withAgents: false, appendFsync: policy);
            var runId = $"f{policy}{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
            await new MixedLoad(system.Api, options, runId + "w").RunAsync(TimeSpan.FromSeconds(Math.Min(3, options.Seconds / 4)));
            var run = await IngestBench.MeasureAsync(new MixedLoad(system.Api, options, runId), TimeSpan.FromSeconds(options.Seconds));
            runs.Add((policy, run, await IngestBench.MissingAsync(system.Redis, run.Result.AcceptedKeys), Machine.LoadAverage()));
        }

        output.WriteLine("| appendfsync | requests/s | 202/s | p50 ms | p99 ms | max ms | statuses | load generator CPU |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (policy, run, _, _) in runs)
        {
            IngestBench.Row(output, policy, run);
        }

        var first = runs[0];
        foreach (var (policy, run, missing, load) in runs)
        {
            output.WriteLine($"  {policy}: 202/s {run.Result.AcceptedPerSecond / first.Run.Result.AcceptedPerSecond:0.000}x of {first.Policy}, "
                + $"p50 {Percentiles.Of(run.Result.LatenciesMs, 50) / Percentiles.Of(first.Run.Result.LatenciesMs, 50):0.00}x; "
                + $"load average after it: {load}; durability: {run.Result.AcceptedKeys.Count} distinct alerts answered 202, {missing} of them missing in Redis");
        }

        return runs.All(r => r.Missing == 0) ? 0 : 1;
    }
}
