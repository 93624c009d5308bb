using IncidentOps.Testing;
using System.Diagnostics;
using System.Globalization;
using IncidentOps.Core.Domain;
using IncidentOps.Figures;
using IncidentOps.Figures.Statistics;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Bench;

/// <summary>
/// Loads generated resolved incidents into Redis as the API stores them, rebuilds the metrics facts from them, and
/// times the full recompute (load every fact + every figure, 3 × 10,000 bootstrap resamples) the worker and the API do.
/// </summary>
public sealed class MetricsBench(ConnectionMultiplexer redis, BenchOptions options, TextWriter output)
{
    private readonly IncidentStore _incidents = new(redis);
    private FactStore Facts => new(redis, _incidents);

    public async Task RunAsync()
    {
        var now = DateTimeOffset.UtcNow;
        Say($"IncidentOps metrics bench: {options.Count:N0} resolved incidents, {Environment.ProcessorCount} cores, {options.Runs} timed runs each, .NET {Environment.Version}");

        // 1. A year of history, stored as whole incident documents (as the API writes them).
        await redis.GetServer(redis.GetEndPoints()[0]).FlushDatabaseAsync();
        var history = new IncidentHistoryGenerator(seed: 2026).Generate(options.Count, now, TimeSpan.FromDays(365)).ToList();
        var load = Stopwatch.StartNew();
        await new HistoryLoader(redis).StoreAsync(history);
        Say($"stored {history.Count:N0} incident documents in {load.ElapsedMilliseconds:N0} ms (setup, not measured)");

        // 2. The first start of a worker: facts rebuilt from the whole documents.
        var rebuild = Stopwatch.StartNew();
        var rebuilt = await Facts.RebuildAsync();
        Say($"rebuild facts from incident documents (first start only): {rebuilt:N0} in {rebuild.ElapsedMilliseconds:N0} ms");
        var packed = await redis.GetDatabase().StringLengthAsync($"{RedisKeys.MetricsFacts}:data");
        var slots = await redis.GetDatabase().ExecuteAsync("MEMORY", "USAGE", $"{RedisKeys.MetricsFacts}:slots", "SAMPLES", "0");
        Say($"facts: {packed / 1024.0 / 1024.0:0.0} MiB packed records (read on every recompute) + {(long)slots / 1024.0 / 1024.0:0.0} MiB id → slot hash (read only on updates)");

        var calculator = new BusinessCalculator(TimeProvider.System, Options.Create(DemoCost()));
        await MeasureAsync("full recompute, 7d window", calculator, MetricsQuery.Week);
        await MeasureAsync("full recompute, 30d window", calculator, new MetricsQuery("30d"));

        // 3. The worst case: every one of the incidents inside the window.
        await redis.GetServer(redis.GetEndPoints()[0]).FlushDatabaseAsync();
        var dense = new IncidentHistoryGenerator(seed: 2027).Generate(options.Count, now, TimeSpan.FromDays(29)).Select(g => g.Fact).ToList();
        await Facts.SaveAsync(dense);
        await MeasureAsync($"full recompute, all {options.Count:N0} in the 30d window", calculator, new MetricsQuery("30d"));

        var minutes = dense.Where(f => f.IsResolved).Select(f => (f.ResolvedMs!.Value - f.DetectedMs) / 60_000.0).ToArray();
        var times = Time(() => BootstrapInterval.OfMean(minutes));
        Say($"  of which one bootstrap of the mean, n = {minutes.Length:N0}, 10,000 resamples: {Summary(times)}");
    }

    private async Task MeasureAsync(string what, BusinessCalculator calculator, MetricsQuery query)
    {
        var facts = FactTable.Empty;
        BusinessMetrics figures = null!;
        var loads = new List<double>();
        var computes = new List<double>();
        for (var run = 0; run <= options.Runs; run++)
        {
            var clock = Stopwatch.StartNew();
            facts = await Facts.LoadAsync();
            var loaded = clock.Elapsed.TotalMilliseconds;
            figures = calculator.Compute(facts, query);
            if (run > 0)
            {
                // Run 0 warms up the JIT and the connection.
                loads.Add(loaded);
                computes.Add(clock.Elapsed.TotalMilliseconds - loaded);
            }
        }

        var totals = loads.Zip(computes, (l, c) => l + c).ToList();
        Say($"{what}: {facts.Rows.Count:N0} facts, {figures.Mttr.SampleSize:N0} resolved in window: total {Summary(totals)} (load {Summary(loads)}, compute {Summary(computes)})");
        Say($"  MTTR {figures.Mttr.MeanMinutes:0.00} min, t [{figures.Mttr.TInterval.Low:0.00}, {figures.Mttr.TInterval.High:0.00}], " +
            $"bootstrap [{figures.Mttr.Bootstrap.Low:0.00}, {figures.Mttr.Bootstrap.High:0.00}], median {figures.Mttr.MedianMinutes:0.00} " +
            $"[{figures.Mttr.MedianInterval.Low:0.00}, {figures.Mttr.MedianInterval.High:0.00}], p90 {figures.Mttr.P90Minutes:0.00}; KM median {figures.TimeToResolve.MedianMinutes:0.00}");
    }

    private List<double> Time(Action action)
    {
        action();
        var times = new List<double>();
        for (var run = 0; run < options.Runs; run++)
        {
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    /// <summary>Illustrative assumptions, so the bench also times the cost arithmetic.</summary>
    private static CostOptions DemoCost() => new()
    {
        ResponderHourlyCost = 90,
        CostPerMinute = { [Severity.Critical] = 200, [Severity.Error] = 50, [Severity.Warning] = 10, [Severity.Info] = 1 },
        BaselineMttrMinutes = { [Severity.Critical] = 60, [Severity.Error] = 90, [Severity.Warning] = 120, [Severity.Info] = 240 },
    };

    private static string Summary(List<double> ms)
    {
        var sorted = ms.Order().ToArray();
        return string.Create(CultureInfo.InvariantCulture, $"median {sorted[sorted.Length / 2]:0} ms (min {sorted[0]:0}, max {sorted[^1]:0})");
    }

    private void Say(string line) => output.WriteLine(line);
}
