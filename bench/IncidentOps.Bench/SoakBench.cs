using System.Diagnostics;
using System.Globalization;
using IncidentOps.Bench.Load;
using StackExchange.Redis;

namespace IncidentOps.Bench;

/// <summary>
/// <c>soak</c>: redis-server, the API, the agents and the metrics workers as their own processes, a steady mixed load at
/// <c>--rate</c> for <c>--minutes</c>, and every <c>--sample-every</c> seconds each process's resident memory and Redis
/// <c>used_memory</c>. After the warm-up (the first fifth of the run, at most 5 min), the slope of each series by a
/// least-squares line (MB/min): a leak is a slope that does not go to zero as the run gets longer. Redis grows with what
/// is retained; the retention (events 7 days, resolved incidents 90 days, README) caps it, so its slope is projected to
/// the events' retention horizon and compared with <c>--redis-bound-mb</c> when given. Then every alert answered 202 is
/// looked up in Redis.
/// </summary>
public static class SoakBench
{
    private const double MiB = 1024 * 1024;

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        var load = options with { Rate = options.Rate > 0 ? options.Rate : 20, Connections = Math.Min(options.Connections, 8) };
        output.WriteLine($"soak: {Machine.Describe()}");
        output.WriteLine($"  {load.Minutes} min at {load.Rate.ToString(CultureInfo.InvariantCulture)} alerts/s ({load.NewShare:P0} new), sampled every {load.SampleSeconds} s; redis-server AOF appendfsync {load.AppendFsync[0]}");
        await using var system = await SystemUnderTest.StartAsync(load, withAgents: true, withMetrics: true);
        var processes = new (string Name, Process? Process)[]
        {
            ("api", system.ApiProcess), ("agents", system.AgentsProcess), ("metrics", system.MetricsProcess), ("redis-server (RSS)", system.RedisProcess),
        };
        var samples = new List<Sample>();
        var duration = TimeSpan.FromMinutes(load.Minutes);
        var clock = Stopwatch.StartNew();
        var runId = $"s{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        var traffic = new MixedLoad(system.Api, load, runId).RunAsync(duration);
        while (!traffic.IsCompleted)
        {
            samples.Add(new Sample(clock.Elapsed.TotalMinutes,
                [.. processes.Select(p => SystemUnderTest.ResidentBytes(p.Process) is { } bytes ? bytes / MiB : double.NaN)],
                await UsedMemoryAsync(system.Redis) / MiB));
            await Task.WhenAny(traffic, Task.Delay(TimeSpan.FromSeconds(load.SampleSeconds)));
        }

        var result = await traffic;
        var missing = await IngestBench.MissingAsync(system.Redis, result.AcceptedKeys);
        var warmUp = Math.Min(load.Minutes / 5, 5);
        var steady = samples.Where(s => s.Minute >= warmUp).ToList();

        output.WriteLine($"  load average after: {Machine.LoadAverage()}; {samples.Count} samples, slope over the {steady.Count} after {warmUp:0.#} min of warm-up");
        output.WriteLine("| process | MB after warm-up | MB at the end | peak MB | slope MB/min |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        for (var i = 0; i < processes.Length; i++)
        {
            Row(output, processes[i].Name, steady, s => s.ResidentMb[i]);
        }

        var redisSlope = Row(output, "Redis used_memory", steady, s => s.RedisUsedMb);
        var statuses = string.Join(" ", result.ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}")) + (result.Errors > 0 ? $" errors:{result.Errors}" : "");
        output.WriteLine($"  load: {result.Total} requests ({statuses}), {result.AcceptedPerSecond:0.0} accepted/s");
        ReportRedisBound(output, steady, redisSlope, load);
        output.WriteLine($"  durability: {result.AcceptedKeys.Count} distinct alerts answered 202, {missing} of them missing in Redis (by dedup key)");
        return missing == 0 ? 0 : 1;
    }

    private static void ReportRedisBound(TextWriter output, List<Sample> steady, double? slope, LoadOptions load)
    {
        if (slope is not { } perMinute || steady.Count == 0)
        {
            return;
        }

        // Events are the shortest retention (Retention:EventsHours, 168): past it the log stops growing; incidents (90 days)
        // and their facts grow on with the incidents opened, which is what the projection below is mostly made of.
        const double eventsHorizonMinutes = 168 * 60;
        var last = steady[^1].RedisUsedMb;
        var projected = last + (Math.Max(perMinute, 0) * (eventsHorizonMinutes - steady[^1].Minute));
        var verdict = load.RedisBoundMb is { } bound
            ? projected <= bound ? $"under the bound of {bound:0} MB" : $"OVER the bound of {bound:0} MB"
            : "no --redis-bound-mb given";
        output.WriteLine($"  Redis: {perMinute:0.000} MB/min at {load.Rate.ToString(CultureInfo.InvariantCulture)} alerts/s; projected to the 7-day events retention: {projected:0} MB ({verdict})");
    }

    /// <summary>The least-squares slope of the series (MB/min), printed with its first, last and peak values; null with under 3 samples.</summary>
    private static double? Row(TextWriter output, string name, List<Sample> steady, Func<Sample, double> value)
    {
        var points = steady.Where(s => !double.IsNaN(value(s))).ToList();
        if (points.Count < 3)
        {
            output.WriteLine($"| {name} | – | – | – | too few samples |");
            return null;
        }

        var (_, slope) = MathNet.Numerics.Fit.Line([.. points.Select(s => s.Minute)], [.. points.Select(value)]);
        output.WriteLine($"| {name} | {value(points[0]):0.0} | {value(points[^1]):0.0} | {points.Max(value):0.0} | {slope:+0.000;-0.000} |");
        return slope;
    }

    private static async Task<double> UsedMemoryAsync(ConnectionMultiplexer redis)
    {
        var info = await redis.GetServer(redis.GetEndPoints()[0]).InfoAsync("memory");
        var used = info.SelectMany(g => g).FirstOrDefault(p => p.Key == "used_memory").Value;
        return double.Parse(used ?? "0", CultureInfo.InvariantCulture);
    }

    private sealed record Sample(double Minute, double[] ResidentMb, double RedisUsedMb);
}
