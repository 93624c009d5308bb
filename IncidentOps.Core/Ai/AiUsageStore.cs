using System.Globalization;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Core.Ai;

/// <summary>
/// AI usage and health in Redis. Every figure is a counter that replicas increment, so all workers add
/// to the same totals: all-time counters, per-minute counters kept two hours (last hour, health window),
/// a latency histogram (all-time percentiles) and the last hour's raw latencies (exact percentiles).
/// </summary>
public sealed partial class AiUsageStore(IConnectionMultiplexer redis, OpsEventLog log, IOptions<AiHealthOptions> health, TimeProvider time)
{
    private const int RecentRoutesKept = 100;
    private const int IncidentCallsKept = 500;
    private static readonly TimeSpan MinuteBucketTtl = TimeSpan.FromHours(2);
    private static readonly TimeSpan HourBucketTtl = TimeSpan.FromHours(25);

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Adds the call to every counter, to its incident's list of calls (with <paramref name="detail"/>: the redacted
    /// prompt and answer), and appends it to <c>ops:events</c> as <c>ai.call</c> (without the detail).
    /// </summary>
    public async Task RecordAsync(AiCall call, string? traceparent, AiCallDetail? detail = null)
    {
        var pair = $"{call.Service}|{call.Model}";
        var nowMs = call.At.ToUnixTimeMilliseconds();
        var minute = nowMs / 60_000;
        var tx = Db.CreateTransaction();
        _ = tx.SetAddAsync(RedisKeys.AiPairs, pair);
        foreach (var key in new RedisKey[] { RedisKeys.AiTotals(call.Service, call.Model), RedisKeys.AiMinute(call.Service, call.Model, minute) })
        {
            _ = tx.HashIncrementAsync(key, "calls");
            _ = tx.HashIncrementAsync(key, "errors", call.Succeeded ? 0 : 1);
            _ = tx.HashIncrementAsync(key, "input_tokens", call.InputTokens);
            _ = tx.HashIncrementAsync(key, "output_tokens", call.OutputTokens);
            _ = tx.HashIncrementAsync(key, "cost_usd", call.CostUsd);
            _ = tx.HashIncrementAsync(key, "fallbacks", call.FallbackFrom is null ? 0 : 1);
        }

        var hour = RedisKeys.AiHour(call.Service, call.Model, nowMs / 3_600_000);
        _ = tx.HashIncrementAsync(hour, "calls");
        _ = tx.HashIncrementAsync(hour, "errors", call.Succeeded ? 0 : 1);
        _ = tx.HashIncrementAsync(hour, "cost_usd", call.CostUsd);
        _ = tx.KeyExpireAsync(hour, HourBucketTtl);
        if (call.IncidentId is not null)
        {
            var calls = RedisKeys.IncidentAiCalls(call.IncidentId);
            _ = tx.ListRightPushAsync(calls, OpsJson.Serialize(IncidentAiCall.From(call, detail)));
            _ = tx.ListTrimAsync(calls, -IncidentCallsKept, -1);
        }

        var totals = RedisKeys.AiTotals(call.Service, call.Model);
        _ = tx.KeyExpireAsync(RedisKeys.AiMinute(call.Service, call.Model, minute), MinuteBucketTtl);
        _ = tx.HashSetAsync(totals, "last_call_at", nowMs);
        if (call.Succeeded)
        {
            _ = tx.HashSetAsync(totals, "consecutive_failures", 0);
        }
        else
        {
            _ = tx.HashIncrementAsync(totals, "consecutive_failures");
            _ = tx.HashSetAsync(totals, "last_error", call.Error ?? "error");
        }

        _ = tx.HashIncrementAsync(RedisKeys.AiLatencyHistogram(call.Service, call.Model), LatencyHistogram.BucketOf(call.LatencyMs).ToString(CultureInfo.InvariantCulture));
        var latencyKey = RedisKeys.AiRecentLatency(call.Service, call.Model);
        _ = tx.SortedSetAddAsync(latencyKey, $"{call.LatencyMs.ToString("0.###", CultureInfo.InvariantCulture)}:{Guid.NewGuid():N}", nowMs);
        _ = tx.SortedSetRemoveRangeByScoreAsync(latencyKey, double.NegativeInfinity, nowMs - 3_600_000, Exclude.Stop);
        _ = tx.KeyExpireAsync(latencyKey, MinuteBucketTtl);
        if (call.RouteReason is not null)
        {
            var route = new AiRouteRecord(call.Service, call.Model, call.Operation, call.IncidentId, call.RouteReason, call.FallbackFrom, call.At);
            _ = tx.ListLeftPushAsync(RedisKeys.AiRecentRoutes, OpsJson.Serialize(route));
            _ = tx.ListTrimAsync(RedisKeys.AiRecentRoutes, 0, RecentRoutesKept - 1);
        }

        await tx.ExecuteAsync();
        await log.AppendAsync(new PendingEvent(EventTypes.AiCall, call.IncidentId, call.At, call, OnTimeline: false), traceparent);
    }

    /// <summary>Health of one model of one service over the health window.</summary>
    public async Task<(AiHealth Health, string Reason)> HealthOfAsync(string service, string model)
    {
        var usage = await ReadPairAsync(service, model, time.GetUtcNow());
        return (usage.Health, usage.HealthReason);
    }

    /// <summary>
    /// Whether to skip calling a service or model now (the router's and the facade's question): yes while it is
    /// down, except once every <see cref="AiHealthOptions.ProbeDownAfterSeconds"/>, when one call probes whether it is back.
    /// </summary>
    public async Task<(bool Skip, string Reason)> ShouldSkipAsync(string service, string model)
    {
        var now = time.GetUtcNow();
        var usage = await ReadPairAsync(service, model, now);
        if (usage.Health != AiHealth.Down)
        {
            return (false, usage.HealthReason);
        }

        var probeAfter = TimeSpan.FromSeconds(health.Value.ProbeDownAfterSeconds);
        var probeAt = (usage.LastCallAt ?? DateTimeOffset.MinValue) + probeAfter;
        if (now < probeAt)
        {
            return (true, $"down ({usage.HealthReason}); next probe in {(probeAt - now).TotalSeconds:0} s");
        }

        // One probe per interval across every worker and concurrent caller: the first to take the token probes, the rest skip.
        var mine = await Db.StringSetAsync(RedisKeys.AiProbe(service, model), now.ToUnixTimeMilliseconds(), probeAfter, When.NotExists);
        return mine
            ? (false, $"down ({usage.HealthReason}); probing")
            : (true, $"down ({usage.HealthReason}); another caller is probing");
    }

    /// <summary>USD spent over the last hour across every service and model (the router's budget check).</summary>
    public async Task<double> SpendLastHourAsync()
    {
        var minute = time.GetUtcNow().ToUnixTimeMilliseconds() / 60_000;
        var pairs = (await Db.SetMembersAsync(RedisKeys.AiPairs)).Select(p => p.ToString().Split('|', 2)).Where(p => p.Length == 2).ToList();
        var batch = Db.CreateBatch();
        var reads = pairs.SelectMany(p => Enumerable.Range(0, 60).Select(i => batch.HashGetAsync(RedisKeys.AiMinute(p[0], p[1], minute - i), "cost_usd"))).ToList();
        batch.Execute();
        return (await Task.WhenAll(reads)).Where(v => !v.IsNullOrEmpty).Sum(v => double.Parse(v.ToString(), CultureInfo.InvariantCulture));
    }

    public async Task<AiServicesReport> ReportAsync()
    {
        var now = time.GetUtcNow();
        var pairs = (await Db.SetMembersAsync(RedisKeys.AiPairs)).Select(p => p.ToString().Split('|', 2)).Where(p => p.Length == 2);
        var models = await Task.WhenAll(pairs.Select(p => ReadPairAsync(p[0], p[1], now)));
        var services = models
            .GroupBy(m => m.Service)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var worst = g.OrderByDescending(m => m.Health).First();
                return new AiServiceStatus(
                    g.Key, worst.Health, worst.Health == AiHealth.Healthy ? "every model healthy" : $"{worst.Model}: {worst.HealthReason}",
                    Sum(g.Select(m => m.LastHour)), Sum(g.Select(m => m.AllTime)), [.. g.OrderBy(m => m.Model, StringComparer.Ordinal)]);
            })
            .ToList();
        var routes = (await Db.ListRangeAsync(RedisKeys.AiRecentRoutes, 0, 19)).Select(r => OpsJson.Deserialize<AiRouteRecord>(r.ToString())).ToList();
        var configuration = await ConfigurationAsync();
        var (hours, points) = await LastDayAsync(models, now);
        var catalog = AiCatalogView.Build(configuration, models, points, hours);
        return new AiServicesReport(
            now, Sum(services.Select(s => s.LastHour)), Sum(services.Select(s => s.AllTime)), services, routes,
            "calls/errors/tokens/cost are sums over every replica; lastHour = the 60 one-minute buckets up to now; "
            + "latency percentiles: lastHour exact over the hour's calls, allTime interpolated in ×1.5 histogram buckets; "
            + "a service's figures sum its models (its p50/p95 are its slowest model's); cost = price table (USD per 1k input/output tokens, or per request) at call time; "
            + $"health over the last {health.Value.WindowMinutes} min: down at {health.Value.ConsecutiveFailuresDown} failures in a row or error rate ≥ {health.Value.DownErrorRate:P0}, "
            + $"degraded at error rate ≥ {health.Value.DegradedErrorRate:P0} or p95 > {health.Value.DegradedP95Ms} ms; "
            + "catalog: every AI service of the system, configured or not (not_configured names the setting; unknown until the agents worker reports its configuration), "
            + "last24Hours = calls, errors and cost per UTC hour, the current hour last.")
        {
            Catalog = catalog,
            Provider = configuration?.Provider,
            ProviderReason = configuration?.ProviderReason,
        };
    }

    private async Task<AiModelUsage> ReadPairAsync(string service, string model, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var minute = nowMs / 60_000;
        var batch = Db.CreateBatch();
        var totals = batch.HashGetAllAsync(RedisKeys.AiTotals(service, model));
        var minutes = Enumerable.Range(0, 60).Select(i => batch.HashGetAllAsync(RedisKeys.AiMinute(service, model, minute - i))).ToList();
        var histogram = batch.HashGetAllAsync(RedisKeys.AiLatencyHistogram(service, model));
        var latencies = batch.SortedSetRangeByScoreWithScoresAsync(RedisKeys.AiRecentLatency(service, model), nowMs - 3_600_000, double.PositiveInfinity);
        batch.Execute();

        var total = (await totals).ToDictionary(e => e.Name.ToString(), e => e.Value);
        var buckets = await Task.WhenAll(minutes);
        var samples = (await latencies).Select(e => (At: (long)e.Score, Ms: double.Parse(e.Element.ToString().Split(':')[0], CultureInfo.InvariantCulture))).ToList();
        var hist = (await histogram).ToDictionary(e => double.Parse(e.Name.ToString(), CultureInfo.InvariantCulture), e => (long)e.Value);

        var window = health.Value.WindowMinutes;
        var windowFigures = Figures(buckets.Take(window), [.. samples.Where(s => s.At > nowMs - (window * 60_000L)).Select(s => s.Ms)]);
        var lastHour = Figures(buckets, [.. samples.Select(s => s.Ms)]);
        var allTime = Figures([total.Select(kv => new HashEntry(kv.Key, kv.Value)).ToArray()], []) with
        {
            LatencyP50Ms = LatencyHistogram.Percentile(hist, 0.5),
            LatencyP95Ms = LatencyHistogram.Percentile(hist, 0.95),
        };
        var (state, reason) = AiHealthRules.Judge(windowFigures, Long(total.GetValueOrDefault("consecutive_failures")), health.Value);
        var lastCall = total.TryGetValue("last_call_at", out var at) ? DateTimeOffset.FromUnixTimeMilliseconds((long)at) : (DateTimeOffset?)null;
        return new AiModelUsage(service, model, state, reason, lastHour, allTime,
            total.TryGetValue("last_error", out var error) ? error.ToString() : null, lastCall);
    }

    private static AiUsageFigures Figures(IEnumerable<HashEntry[]> buckets, IReadOnlyList<double> latencies)
    {
        long calls = 0, errors = 0, input = 0, output = 0, fallbacks = 0;
        double cost = 0;
        foreach (var bucket in buckets)
        {
            foreach (var e in bucket)
            {
                switch (e.Name.ToString())
                {
                    case "calls": calls += Long(e.Value); break;
                    case "errors": errors += Long(e.Value); break;
                    case "input_tokens": input += Long(e.Value); break;
                    case "output_tokens": output += Long(e.Value); break;
                    case "fallbacks": fallbacks += Long(e.Value); break;
                    case "cost_usd": cost += double.Parse(e.Value.ToString(), CultureInfo.InvariantCulture); break;
                }
            }
        }

        return new AiUsageFigures(calls, errors, input, output, Math.Round(cost, 6),
            LatencyHistogram.Percentile(latencies, 0.5), LatencyHistogram.Percentile(latencies, 0.95), fallbacks);
    }

    private static AiUsageFigures Sum(IEnumerable<AiUsageFigures> figures) => AiCatalogView.Sum(figures);

    private static long Long(RedisValue value) => value.IsNullOrEmpty ? 0 : (long)value;
}
