using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IncidentOps.Bench.Load;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Bench;

/// <summary>
/// <c>storm</c>: the mixed ingest load for a while, the agents worker running, and every few seconds a brand-new incident
/// (an alert of a service nobody else alerts on); for each, the time from its POST to its fourth agent COMPLETED
/// (read from the agent runs in Redis every 5 ms), where that time went (<see cref="Load.ProbeTimeline"/>), and the work
/// queue's backlog at the end. Before the storm: one warm-up incident and a few lone ones, one at a time (the floor).
/// </summary>
public static class StormBench
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        output.WriteLine($"storm: {Machine.Describe()}");
        output.WriteLine($"  {options.Seconds} s storm, {options.Connections} connections, rate {(options.Rate > 0 ? options.Rate.ToString(CultureInfo.InvariantCulture) + "/s" : "max")}, {options.NewShare:P0} new alerts over {options.Groups} groups, a new incident every {options.ProbeEverySeconds} s");
        foreach (var (process, settings) in new[] { ("api", options.ApiSettings), ("agents", options.AgentsSettings) }.Where(s => s.Item2.Count > 0))
        {
            output.WriteLine($"  {process} settings: {string.Join(' ', settings.Select(s => $"{s.Key}={s.Value}"))}");
        }
        await using var system = await SystemUnderTest.StartAsync(options, withAgents: true);
        var runId = $"s{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        var duration = TimeSpan.FromSeconds(options.Seconds);
        await MeasureFloorAsync(system, options, runId, output);

        using var storming = new CancellationTokenSource();
        var stormStarted = DateTimeOffset.UtcNow;
        var analysedBefore = await WorkQueues.AcknowledgedAsync(system.Redis.GetDatabase());
        var cpu = CpuMeter.Start(system);
        var redisCpu = SystemUnderTest.CpuTime(system.RedisProcess);
        var storm = new MixedLoad(system.Api, options, runId).RunAsync(duration, storming.Token);
        using var sampling = new CancellationTokenSource();
        var queues = WorkQueues.SampleAsync(system.Redis.GetDatabase(), TimeSpan.FromSeconds(1), sampling.Token);

        using var http = MixedLoad.Client(system.Api, 4);
        var probes = new List<Task<Probe>>();
        var clock = Stopwatch.StartNew();
        for (var n = 0; clock.Elapsed < duration; n++)
        {
            var due = TimeSpan.FromSeconds((n + 0.5) * options.ProbeEverySeconds);
            if (due >= duration)
            {
                break;
            }

            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            probes.Add(ProbeAsync(http, system.Redis, $"{runId}-probe-{n.ToString(CultureInfo.InvariantCulture)}"));
        }

        var load = await storm;
        var used = cpu.Stop();
        var redisCores = (SystemUnderTest.CpuTime(system.RedisProcess) - redisCpu).TotalSeconds / used.Seconds;
        var backlog = await BacklogAsync(system.Redis.GetDatabase());
        var analysedAfter = await WorkQueues.AcknowledgedAsync(system.Redis.GetDatabase());
        var analysed = (Urgent: analysedAfter.Urgent - analysedBefore.Urgent, Regular: analysedAfter.Regular - analysedBefore.Regular);
        var finished = await Task.WhenAll(probes);
        await sampling.CancelAsync();
        var samples = await queues;
        var times = finished.Select(p => p.Seconds).ToList();
        var done = times.Where(t => t is not null).Select(t => t!.Value).Order().ToList();

        output.WriteLine($"  load average after: {Machine.LoadAverage()}");
        output.WriteLine($"  storm: {load.PerSecond:0} requests/s, {load.AcceptedPerSecond:0} accepted/s, p99 {Machine.Ms(Percentiles.Of(load.LatenciesMs, 99))} ms, statuses {string.Join(" ", load.ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"))}");
        output.WriteLine($"  agents:work backlog when the storm ended: {backlog} items");
        output.WriteLine($"  CPU during the storm, cores: api {used.Api:0.00}, agents {used.Agents:0.00}, redis {redisCores:0.00}, load generator {used.Bench:0.00}");
        output.WriteLine($"  analyses finished during the storm: {analysed.Urgent} new incidents (agents:urgent), {analysed.Regular} re-analyses and other work (agents:work); "
            + $"agents CPU per finished item {(analysed.Urgent + analysed.Regular == 0 ? "-" : Machine.Ms(used.Agents * used.Seconds * 1000 / (analysed.Urgent + analysed.Regular)))} ms");
        output.WriteLine($"  queued new-incident analyses (agents:urgent, waiting + in progress) each second: {string.Join(' ', samples.Select(q => q.Urgent))}");
        output.WriteLine("| new incidents | four agents COMPLETED | p50 s | p95 s | max s |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        output.WriteLine($"| {times.Count} | {done.Count} (others not within {ProbeTimeout.TotalSeconds} s) | {S(Percentiles.Of(done, 50))} | {S(Percentiles.Of(done, 95))} | {S(done.LastOrDefault(double.NaN))} |");
        ProbeTimeline.Print(output, "new incidents during the storm, where the time went", [.. finished.Select(p => p.Timeline).OfType<ProbeTimeline>()]);
        await StormIncidents.PrintAsync(system.Redis.GetDatabase(), stormStarted, output);
        return done.Count == times.Count ? 0 : 1;
    }

    /// <summary>
    /// Before the storm: one warm-up incident (the worker's first: code compiled, model and index loaded on first use), then
    /// a few lone incidents one after another with nothing else running, the floor a storm adds to, with the worker's CPU
    /// per incident.
    /// </summary>
    private static async Task MeasureFloorAsync(SystemUnderTest system, LoadOptions options, string runId, TextWriter output)
    {
        using var warm = MixedLoad.Client(system.Api, 1);
        var warmUp = await ProbeAsync(warm, system.Redis, $"{runId}-warm-up");
        output.WriteLine($"  warm-up incident (no load): four agents COMPLETED after {(warmUp.Seconds is { } w ? S(w) + " s" : "more than 120 s")}");
        ProbeTimeline.Print(output, "warm-up incident, where the time went", [.. new[] { warmUp.Timeline }.OfType<ProbeTimeline>()]);
        if (options.LoneProbes <= 0)
        {
            return;
        }

        var agentsCpu = SystemUnderTest.CpuTime(system.AgentsProcess);
        var apiCpu = SystemUnderTest.CpuTime(system.ApiProcess);
        var lone = new List<Probe>();
        for (var n = 0; n < options.LoneProbes; n++)
        {
            lone.Add(await ProbeAsync(warm, system.Redis, $"{runId}-lone-{n.ToString(CultureInfo.InvariantCulture)}"));
        }

        var perIncident = (SystemUnderTest.CpuTime(system.AgentsProcess) - agentsCpu).TotalMilliseconds / lone.Count;
        var apiPerIncident = (SystemUnderTest.CpuTime(system.ApiProcess) - apiCpu).TotalMilliseconds / lone.Count;
        var done = lone.Where(p => p.Seconds is not null).Select(p => p.Seconds!.Value).Order().ToList();
        output.WriteLine($"  lone incidents (no load, one at a time): {done.Count} of {lone.Count} COMPLETED, p50 {S(Percentiles.Of(done, 50))} s, max {S(done.LastOrDefault(double.NaN))} s; CPU per incident: agents {perIncident:0} ms, api {apiPerIncident:0} ms");
        ProbeTimeline.Print(output, "lone incidents, where the time went", [.. lone.Select(p => p.Timeline).OfType<ProbeTimeline>()]);
    }

    private static string S(double seconds) => double.IsNaN(seconds) ? "-" : seconds.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>One new incident: seconds from its POST to its fourth COMPLETED (null if not within the timeout), and where they went.</summary>
    private sealed record Probe(double? Seconds, ProbeTimeline? Timeline);

    private static async Task<Probe> ProbeAsync(HttpClient http, ConnectionMultiplexer redis, string key)
    {
        var posted = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var body = MixedLoad.Body(key, 0, 0).Replace("\"source\":\"svc-0\"", $"\"source\":\"{key}\"", StringComparison.Ordinal);
        string? incidentId = null;
        while (incidentId is null && clock.Elapsed < ProbeTimeout)
        {
            using var response = await http.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
            if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
            {
                using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                incidentId = answer.RootElement.GetProperty("incidentId").GetString();
            }
            else if (response.Headers.RetryAfter?.Delta is { } wait)
            {
                // A sender that honours Retry-After: its alert counts from its first try.
                await Task.Delay(wait);
            }
        }

        var db = redis.GetDatabase();
        while (incidentId is not null && clock.Elapsed < ProbeTimeout)
        {
            var runs = await db.HashGetAllAsync(RedisKeys.AgentRuns(incidentId));
            if (runs.Count(r => OpsJson.Deserialize<AgentRun>(r.Value.ToString()).State == AgentState.Completed) >= 4)
            {
                var seconds = clock.Elapsed.TotalSeconds;
                return new Probe(seconds, await ProbeTimeline.ReadAsync(db, incidentId, posted, posted + clock.Elapsed));
            }

            await Task.Delay(5);
        }

        return new Probe(null, null);
    }

    private static async Task<long> BacklogAsync(IDatabase db)
    {
        try
        {
            var group = (await db.StreamGroupInfoAsync(RedisKeys.AgentsWork)).FirstOrDefault(g => g.Name == RedisKeys.AgentsGroup);
            return group.Name is null ? 0 : (group.Lag ?? 0) + group.PendingMessageCount;
        }
        catch (RedisServerException)
        {
            return 0;
        }
    }
}
