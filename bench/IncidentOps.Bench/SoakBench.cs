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
/// is retained; the retention (events 3 days, resolved incidents 30 days, README) caps it, so its slope is projected to
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
        var retention = RetentionSettings(load);
        if (retention.Count > 0)
        {
            output.WriteLine($"  retention shortened: {string.Join(", ", retention.Select(r => $"{r.Key.Replace("__", ":")}={r.Value}"))}");
        }

        await using var system = await SystemUnderTest.StartAsync(load, withAgents: true, withMetrics: true, metricsSettings: retention);
        var processes = new (string Name, Process? Process)[]
        {
            ("api", system.ApiProcess), ("agents", system.AgentsProcess), ("metrics", system.MetricsProcess), ("redis-server (RSS)", system.RedisProcess),
        };
        var samples = new List<Sample>();
        var duration = TimeSpan.FromMinutes(load.Minutes);
        var clock = Stopwatch.StartNew();
        var runId = $"s{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        var traffic = new MixedLoad(system.Api, load, runId).RunAsync(duration);
        var resolver = load.ResolveAfterSeconds > 0
            ? new IncidentResolver(system.Api, await system.CreateKeyAsync("responder"), TimeSpan.FromSeconds(load.ResolveEverySeconds), TimeSpan.FromSeconds(load.ResolveAfterSeconds))
            : null;
        var resolving = resolver?.RunAsync(traffic) ?? Task.CompletedTask;
        while (!traffic.IsCompleted)
        {
            samples.Add(new Sample(clock.Elapsed.TotalMinutes,
                [.. processes.Select(p => SystemUnderTest.ResidentBytes(p.Process) is { } bytes ? bytes / MiB : double.NaN)],
                await UsedMemoryAsync(system.Redis) / MiB));
            await Task.WhenAny(traffic, Task.Delay(TimeSpan.FromSeconds(load.SampleSeconds)));
        }

        await resolving;
        var result = await traffic;
        // With a shortened retention, an alert whose incident was resolved and kept its retention is gone as configured;
        // one last accepted within that retention cannot have been (its incident was open then): those must all be there.
        // (The load's clock started after this one: measured on this one, now, the window is if anything too short.)
        var keptFrom = load.KeepResolvedMinutes is { } keep ? clock.Elapsed - TimeSpan.FromMinutes(keep) + TimeSpan.FromSeconds(2) : TimeSpan.Zero;
        var mustHold = result.LastAccepted.Where(a => a.Value >= keptFrom).Select(a => a.Key).ToList();
        var missing = await IngestBench.MissingAsync(system.Redis, mustHold);
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
        if (resolver is not null)
        {
            output.WriteLine($"  resolver: {resolver}");
        }

        if (RetentionReachedMinute(load) is { } reached)
        {
            await ReportPlateauAsync(output, system.Redis, samples, reached, load);
        }
        else
        {
            ReportRedisBound(output, steady, redisSlope, load);
        }

        output.WriteLine(keptFrom > TimeSpan.Zero
            ? $"  durability: {result.LastAccepted.Count} distinct alerts answered 202; the {mustHold.Count} last answered within the resolved-incident retention ({load.KeepResolvedMinutes} min), {missing} of them missing in Redis (by dedup key)"
            : $"  durability: {result.AcceptedKeys.Count} distinct alerts answered 202, {missing} of them missing in Redis (by dedup key)");
        return missing == 0 ? 0 : 1;
    }

    /// <summary>The metrics worker's retention settings for the shortened ages asked for (its trimmer then runs every 15 s).</summary>
    private static Dictionary<string, string> RetentionSettings(LoadOptions load)
    {
        var settings = new Dictionary<string, string>();
        if (load.KeepEventsMinutes is { } events)
        {
            settings["Retention__EventsHours"] = (events / 60).ToString("0.######", CultureInfo.InvariantCulture);
        }

        if (load.KeepResolvedMinutes is { } resolved)
        {
            settings["Retention__ResolvedIncidentDays"] = (resolved / 1440).ToString("0.########", CultureInfo.InvariantCulture);
            settings["Retention__DedupGraceHours"] = (resolved / 60).ToString("0.######", CultureInfo.InvariantCulture);
        }

        if (settings.Count > 0)
        {
            settings["Retention__IntervalSeconds"] = RetentionIntervalSeconds.ToString(CultureInfo.InvariantCulture);
        }

        return settings;
    }

    private const int RetentionIntervalSeconds = 15;

    /// <summary>
    /// The minute of the run from which everything written is trimmed as it comes of age: the events' age, or an incident's
    /// way through (detected, resolved by the resolver, kept its retention), whichever is longer, plus a trimmer pass.
    /// Null when the run keeps the default retention (nothing comes of age within it).
    /// </summary>
    private static double? RetentionReachedMinute(LoadOptions load)
    {
        if (load.KeepEventsMinutes is null && load.KeepResolvedMinutes is null)
        {
            return null;
        }

        var incidents = load.ResolveAfterSeconds > 0 && load.KeepResolvedMinutes is { } kept
            ? ((load.ResolveAfterSeconds + load.ResolveEverySeconds) / 60) + kept
            : 0;
        return Math.Max(load.KeepEventsMinutes ?? 0, incidents) + (RetentionIntervalSeconds / 60.0);
    }

    /// <summary>
    /// Redis used_memory before the retention age is reached (it grows with what is accepted) and after (what retention
    /// removes balances what comes in): the slope of each part, and the keys that hold what is left.
    /// </summary>
    private static async Task ReportPlateauAsync(TextWriter output, ConnectionMultiplexer redis, List<Sample> samples, double reached, LoadOptions load)
    {
        // Redis has no warm-up of its own: its growth before the age counts from the first half minute of load.
        var before = samples.Where(s => s.Minute >= 0.5 && s.Minute < reached).ToList();
        var after = samples.Where(s => s.Minute >= reached).ToList();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  retention age reached at minute {reached:0.0}: Redis used_memory before and after it"));
        output.WriteLine("| part | MB at its start | MB at its end | peak MB | slope MB/min |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        var growing = Row(output, "before the retention age", before, s => s.RedisUsedMb);
        var bounded = Row(output, "after the retention age", after, s => s.RedisUsedMb);
        if (growing is { } g && bounded is { } b)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  Redis plateau: slope after / before the retention age = {(g > 0 ? b / g : double.NaN):0.00} ({b:+0.000;-0.000} vs {g:+0.000;-0.000} MB/min)"));
        }

        if (load.RedisBoundMb is { } bound && after.Count > 0)
        {
            var peak = after.Max(s => s.RedisUsedMb);
            output.WriteLine($"  Redis peak after the retention age {peak:0.0} MB: {(peak <= bound ? "under" : "OVER")} the bound of {bound:0} MB");
        }

        var db = redis.GetDatabase();
        var server = redis.GetServer(redis.GetEndPoints()[0]);
        var keys = await server.DatabaseSizeAsync();
        var events = await db.StreamLengthAsync(IncidentOps.Core.Storage.RedisKeys.OpsEvents);
        var stored = await db.SortedSetLengthAsync(IncidentOps.Core.Storage.RedisKeys.Incidents);
        var open = await db.SetLengthAsync(IncidentOps.Core.Storage.RedisKeys.OpenIncidents);
        var audit = await db.StreamLengthAsync(IncidentOps.Core.Storage.RedisKeys.Audit);
        var facts = await db.HashLengthAsync($"{IncidentOps.Core.Storage.RedisKeys.MetricsFacts}:slots");
        output.WriteLine($"  left in Redis: {keys} keys; ops:events {events} entries; incidents stored {stored}, open {open}; " +
            $"audit {audit} entries (kept 400 days); metrics facts {facts} (48 bytes per incident, kept)");
        await ReportUnitSizesAsync(output, db, server, events, stored);
    }

    /// <summary>
    /// What one event and one stored incident (its document, alerts, timeline, agent runs, actions, AI calls) take in Redis
    /// at the end of the run: the figures the README's sizing of the retention defaults multiplies out.
    /// </summary>
    private static async Task ReportUnitSizesAsync(TextWriter output, IDatabase db, IServer server, long events, long stored)
    {
        var eventBytes = events > 0 ? (long)(await db.ExecuteAsync("MEMORY", "USAGE", IncidentOps.Core.Storage.RedisKeys.OpsEvents, "SAMPLES", "0")) / (double)events : 0;
        long incidentBytes = 0, alerts = 0;
        await foreach (var key in server.KeysAsync(pattern: $"{IncidentOps.Core.Storage.RedisKeys.Tag}:incident:*", pageSize: 1000))
        {
            incidentBytes += (long)(await db.ExecuteAsync("MEMORY", "USAGE", key, "SAMPLES", "0"));
            if (key.ToString().EndsWith(":alerts", StringComparison.Ordinal))
            {
                alerts += await db.HashLengthAsync(key);
            }
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  sizes: {eventBytes:0} bytes per ops:events entry; {(stored > 0 ? incidentBytes / (double)stored : 0):0} bytes per stored incident with everything under it ({(stored > 0 ? alerts / (double)stored : 0):0.0} alerts each on average)"));
    }

    private static void ReportRedisBound(TextWriter output, List<Sample> steady, double? slope, LoadOptions load)
    {
        if (slope is not { } perMinute || steady.Count == 0)
        {
            return;
        }

        // Events are the shortest retention (Retention:EventsHours, 72): past it the log stops growing; incidents (30 days)
        // and their facts grow on with the incidents opened, which is what the projection below is mostly made of.
        const double eventsHorizonMinutes = 72 * 60;
        var last = steady[^1].RedisUsedMb;
        var projected = last + (Math.Max(perMinute, 0) * (eventsHorizonMinutes - steady[^1].Minute));
        var verdict = load.RedisBoundMb is { } bound
            ? projected <= bound ? $"under the bound of {bound:0} MB" : $"OVER the bound of {bound:0} MB"
            : "no --redis-bound-mb given";
        output.WriteLine($"  Redis: {perMinute:0.000} MB/min at {load.Rate.ToString(CultureInfo.InvariantCulture)} alerts/s; projected to the 3-day events retention: {projected:0} MB ({verdict})");
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
