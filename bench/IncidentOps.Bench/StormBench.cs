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
/// (read from the agent runs in Redis every 20 ms), and the work queue's backlog at the end.
/// </summary>
public static class StormBench
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        output.WriteLine($"storm: {Machine.Describe()}");
        output.WriteLine($"  {options.Seconds} s storm, {options.Connections} connections, rate {(options.Rate > 0 ? options.Rate.ToString(CultureInfo.InvariantCulture) + "/s" : "max")}, a new incident every {options.ProbeEverySeconds} s");
        await using var system = await SystemUnderTest.StartAsync(options, withAgents: true);
        var runId = $"s{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        var duration = TimeSpan.FromSeconds(options.Seconds);
        using var storming = new CancellationTokenSource();
        var storm = new MixedLoad(system.Api, options, runId).RunAsync(duration, storming.Token);

        using var http = MixedLoad.Client(system.Api, 4);
        var probes = new List<Task<double?>>();
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
        var backlog = await BacklogAsync(system.Redis.GetDatabase());
        var times = (await Task.WhenAll(probes)).ToList();
        var done = times.Where(t => t is not null).Select(t => t!.Value).Order().ToList();

        output.WriteLine($"  load average after: {Machine.LoadAverage()}");
        output.WriteLine($"  storm: {load.PerSecond:0} requests/s, {load.AcceptedPerSecond:0} accepted/s, p99 {Machine.Ms(Percentiles.Of(load.LatenciesMs, 99))} ms, statuses {string.Join(" ", load.ByStatus.OrderBy(s => s.Key).Select(s => $"{s.Key}:{s.Value}"))}");
        output.WriteLine($"  agents:work backlog when the storm ended: {backlog} items");
        output.WriteLine("| new incidents | four agents COMPLETED | p50 s | p95 s | max s |");
        output.WriteLine("| --- | --- | --- | --- | --- |");
        output.WriteLine($"| {times.Count} | {done.Count} (others not within {ProbeTimeout.TotalSeconds} s) | {S(Percentiles.Of(done, 50))} | {S(Percentiles.Of(done, 95))} | {S(done.LastOrDefault(double.NaN))} |");
        return done.Count == times.Count ? 0 : 1;
    }

    private static string S(double seconds) => double.IsNaN(seconds) ? "-" : seconds.ToString("0.00", CultureInfo.InvariantCulture);

    private static async Task<double?> ProbeAsync(HttpClient http, ConnectionMultiplexer redis, string key)
    {
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
                return clock.Elapsed.TotalSeconds;
            }

            await Task.Delay(20);
        }

        return null;
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
