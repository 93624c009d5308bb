using System.Diagnostics;
using System.Globalization;
using IncidentOps.Bench.Load;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Bench;

/// <summary>
/// <c>ingest</c>: the mixed Events v2 load against a bare Kestrel endpoint and against IncidentOps in the same run; throughput,
/// p50/p99, the ratio, what the load generator itself used of the CPU, and every alert answered 202 looked up in Redis by
/// its dedup key afterwards.
/// </summary>
public static class IngestBench
{
    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        if (options.AppendFsync.Count > 1)
        {
            return await AppendFsyncComparison.RunAsync(options, output);
        }

        output.WriteLine($"ingest: {Machine.Describe()}");
        output.WriteLine($"  {options.Seconds} s per target, {options.Connections} connections, {options.NewShare:P0} new alerts, rate {(options.Rate > 0 ? options.Rate.ToString(CultureInfo.InvariantCulture) + "/s" : "max (closed loop)")}");
        await using var system = await SystemUnderTest.StartAsync(options, withAgents: false);
        var baselineUrl = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}";
        using var baseline = StartBaseline(baselineUrl);
        try
        {
            var duration = TimeSpan.FromSeconds(options.Seconds);
            var warmUp = TimeSpan.FromSeconds(Math.Min(3, options.Seconds / 4));
            var runId = $"b{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
            await new MixedLoad(new Uri(baselineUrl), options, runId + "w").RunAsync(warmUp);
            var bare = await MeasureAsync(new MixedLoad(new Uri(baselineUrl), options, runId + "k"), duration);
            await new MixedLoad(system.Api, options, runId + "w").RunAsync(warmUp);
            var apiCpuBefore = SystemUnderTest.CpuTime(system.ApiProcess);
            var redisCpuBefore = SystemUnderTest.CpuTime(system.RedisProcess);
            var ours = await MeasureAsync(new MixedLoad(system.Api, options, runId), duration);
            var apiCpu = SystemUnderTest.CpuTime(system.ApiProcess) - apiCpuBefore;
            var redisCpu = SystemUnderTest.CpuTime(system.RedisProcess) - redisCpuBefore;
            var missing = await MissingAsync(system.Redis, ours.Result.AcceptedKeys);

            output.WriteLine($"  load average after: {Machine.LoadAverage()}");
            output.WriteLine("| target | requests/s | 202/s | p50 ms | p99 ms | max ms | statuses | load generator CPU |");
            output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
            Row(output, "bare Kestrel (parse + 202)", bare);
            Row(output, "IncidentOps POST /api/v1/events", ours);
            output.WriteLine($"  ratio IncidentOps / bare Kestrel (202/s): {ours.Result.AcceptedPerSecond / bare.Result.AcceptedPerSecond:0.000}x");
            if (system.ApiProcess is not null)
            {
                output.WriteLine($"  CPU during its run: API {apiCpu.TotalSeconds / ours.Result.Elapsed.TotalSeconds:0.00} cores, redis-server {redisCpu.TotalSeconds / ours.Result.Elapsed.TotalSeconds:0.00} cores (of 2, shared with everything else on the machine)");
            }

            output.WriteLine($"  durability: {ours.Result.AcceptedKeys.Count} distinct alerts answered 202, {missing} of them missing in Redis (by dedup key)");
            return missing == 0 ? 0 : 1;
        }
        finally
        {
            baseline.Kill();
        }
    }

    internal static async Task<(LoadResult Result, double ClientCores)> MeasureAsync(MixedLoad load, TimeSpan duration)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var result = await load.RunAsync(duration);
        var used = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (result, used.TotalSeconds / result.Elapsed.TotalSeconds);
    }

    internal static void Row(TextWriter output, string name, (LoadResult Result, double ClientCores) run)
    {
        var r = run.Result;
        var statuses = string.Join(" ", r.ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}")) + (r.Errors > 0 ? $" errors:{r.Errors}" : "");
        output.WriteLine($"| {name} | {r.PerSecond:0} | {r.AcceptedPerSecond:0} | {Machine.Ms(Percentiles.Of(r.LatenciesMs, 50))} | {Machine.Ms(Percentiles.Of(r.LatenciesMs, 99))} | {Machine.Ms(r.LatenciesMs.LastOrDefault())} | {statuses} | {run.ClientCores:0.00} cores |");
    }

    /// <summary>
    /// How many of the accepted alerts are not in Redis (a 202 that was not durable): no dedup entry, or the incident it points
    /// to does not hold the alert (in its alerts hash, or inline in the document of a system from before that layout).
    /// </summary>
    public static async Task<int> MissingAsync(ConnectionMultiplexer redis, IReadOnlyCollection<string> keys)
    {
        var db = redis.GetDatabase();
        var missing = 0;
        foreach (var chunk in keys.Chunk(5000))
        {
            var batch = db.CreateBatch();
            var ids = chunk.Select(k => batch.StringGetAsync(RedisKeys.Dedup(AlertNormaliser.GenericSource, k))).ToList();
            batch.Execute();
            var found = chunk.Zip(await Task.WhenAll(ids)).Where(f => !f.Second.IsNullOrEmpty).ToList();
            missing += chunk.Length - found.Count;

            batch = db.CreateBatch();
            var held = found.Select(f => (f.First, Id: f.Second.ToString(),
                InHash: batch.HashExistsAsync(RedisKeys.IncidentAlerts(f.Second.ToString()), IncomingAlert.AlertIdOf(AlertNormaliser.GenericSource, f.First)))).ToList();
            batch.Execute();
            foreach (var (key, id, inHash) in held)
            {
                if (!await inHash && !(await db.HashGetAsync(RedisKeys.Incident(id), "doc")).ToString().Contains($"\"dedupKey\":\"{key}\"", StringComparison.Ordinal))
                {
                    missing++;
                }
            }
        }

        return missing;
    }

    private static Process StartBaseline(string url)
    {
        var process = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, [.. EntryArguments(), "baseline-server", url]) { UseShellExecute = false })
            ?? throw new InvalidOperationException("The baseline server did not start.");
        using var http = new HttpClient { BaseAddress = new Uri(url) };
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                if (http.GetAsync("/health").GetAwaiter().GetResult().IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }

            Thread.Sleep(100);
        }

        throw new TimeoutException("The baseline server did not answer /health.");
    }

    /// <summary>When run as <c>dotnet IncidentOps.Bench.dll</c>, the dll must be named again for the child.</summary>
    private static string[] EntryArguments() =>
        Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? [typeof(IngestBench).Assembly.Location] : [];

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
