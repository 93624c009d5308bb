using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Testing;
using Microsoft.Extensions.Options;

namespace IncidentOps.Bench;

/// <summary>
/// The executive view's build-time snapshot (<c>IncidentOps.Web/public/demo-snapshot.json</c>): a seeded 30-day history
/// from <see cref="IncidentHistoryGenerator"/> (the last 7 days resolved faster, so the trend has something to test)
/// whose services and titles come from the scenario corpus, run through the same <see cref="BusinessCalculator"/> as the
/// API, with illustrative cost assumptions said in the file. Deterministic: the same seed and date give the same file.
/// </summary>
public static class DemoSnapshot
{
    public const ulong Seed = 20261201;
    public static readonly DateTimeOffset AsOf = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly JsonSerializerOptions Indented = new(OpsJson.Options) { WriteIndented = true };

    public static async Task WriteAsync(string path, string scenarioFolder, int count)
    {
        var scenarios = Directory.GetFiles(scenarioFolder, "*.json", SearchOption.AllDirectories)
            .Where(f => Path.GetFileName(f) != "batches.json")
            .Order(StringComparer.Ordinal)
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .Select(s => (Service: s.GetProperty("service").GetString()!, Title: TitleOf(s)))
            .ToList();
        var generator = new IncidentHistoryGenerator(Seed);
        var older = generator.Generate(count * 23 / 30, AsOf.AddDays(-7), TimeSpan.FromDays(23), asOf: AsOf);
        var recent = generator.Generate(count * 7 / 30, AsOf, TimeSpan.FromDays(7), openShare: 0.03, medianScale: 0.75);
        var history = older.Concat(recent).Select((g, i) =>
        {
            var (service, title) = scenarios[i % scenarios.Count];
            return g with { Incident = g.Incident with { Service = service, Title = title } };
        }).ToList();

        var cost = new CostOptions
        {
            CostPerMinute = new() { [Severity.Critical] = 100, [Severity.Error] = 25, [Severity.Warning] = 5, [Severity.Info] = 0 },
            ResponderHourlyCost = 90,
            BaselineMttrMinutes = new() { [Severity.Critical] = 120, [Severity.Error] = 90, [Severity.Warning] = 60, [Severity.Info] = 60 },
        };
        var calculator = new BusinessCalculator(new FixedClock(AsOf), Options.Create(cost));
        var facts = FactTable.From(history.Select(h => h.Fact));
        var snapshot = new
        {
            source = "snapshot",
            at = AsOf,
            provenance = $"{history.Count} incidents from IncidentHistoryGenerator (seed {Seed}) over 30 days to {AsOf:yyyy-MM-dd}, services and titles from the "
                + $"{scenarios.Count} scenarios of tests/scenarios; illustrative cost assumptions (critical $100/min, error $25/min, warning $5/min, "
                + "responder $90/h, baseline MTTR 120/90/60/60 min); regenerate: dotnet run --project bench/IncidentOps.Bench -- --demo-snapshot IncidentOps.Web/public/demo-snapshot.json",
            week = calculator.Compute(facts, MetricsQuery.Week),
            month = calculator.Compute(facts, new MetricsQuery("30d")),
            topServices = history
                .Select(h => h.Incident)
                .Where(i => i.DetectedAt >= AsOf.AddDays(-30))
                .GroupBy(i => i.Service)
                .Select(g => new { service = g.Key, minutes = Math.Round(g.Sum(i => ((i.ResolvedAt ?? AsOf) - i.DetectedAt).TotalMinutes)), incidents = g.Count() })
                .OrderByDescending(s => s.minutes).ThenBy(s => s.service, StringComparer.Ordinal)
                .Take(6),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(snapshot, Indented));
        Console.WriteLine($"Wrote the demo snapshot ({history.Count} incidents) to {path}.");
    }

    private static string TitleOf(JsonElement scenario)
    {
        var first = scenario.GetProperty("alerts")[0];
        return first.TryGetProperty("annotations", out var annotations) && annotations.TryGetProperty("summary", out var summary)
            ? summary.GetString()!
            : first.GetProperty("summary").GetString()!;
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
