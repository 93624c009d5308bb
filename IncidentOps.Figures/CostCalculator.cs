using System.Globalization;
using IncidentOps.Core.Domain;

namespace IncidentOps.Figures;

/// <summary>Cost savings under the configured assumptions, each with its arithmetic; no assumption, no figure.</summary>
public static class CostCalculator
{
    public const string PreventionDefinition =
        "Each prevented incident counted as a critical incident that did not happen: saved = prevented × baseline critical MTTR × " +
        "(critical cost per minute + responder hourly cost ÷ 60).";

    public const string FasterResolutionDefinition =
        "For each severity with resolved incidents: n × (baseline MTTR − observed mean MTTR) × (cost per minute + responder hourly cost ÷ 60), " +
        "one responder per incident; negative when resolution was slower than the baseline.";

    public static CostSavingsFigure Compute(CostOptions options, int prevented, IReadOnlyDictionary<Severity, List<double>> ttrBySeverity)
    {
        var assumptions = new CostAssumptions(
            options.CostPerMinute.ToDictionary(p => Name(p.Key), p => p.Value),
            options.ResponderHourlyCost,
            options.BaselineMttrMinutes.ToDictionary(p => Name(p.Key), p => p.Value));
        var prevention = Prevention(options, prevented);
        var faster = Faster(options, ttrBySeverity);
        var configured = prevention.Amount is not null && faster.Amount is not null;
        var anyConfigured = prevention.Amount is not null || faster.Amount is not null;
        return new CostSavingsFigure(
            configured ? "configured" : anyConfigured ? "partly configured" : "not configured",
            anyConfigured ? options.Currency : null,
            prevention,
            faster,
            configured ? Math.Round(prevention.Amount!.Value + faster.Amount!.Value, 2) : null,
            assumptions);
    }

    private static SavingsLine Prevention(CostOptions options, int prevented)
    {
        var missing = new List<string>();
        var baseline = Need(options.BaselineMttrMinutes, Severity.Critical, "BaselineMttrMinutes", missing);
        var perMinute = Need(options.CostPerMinute, Severity.Critical, "CostPerMinute", missing);
        var hourly = options.ResponderHourlyCost ?? Missing("ResponderHourlyCost", missing);
        if (missing.Count > 0)
        {
            return new SavingsLine(PreventionDefinition, null, null, missing);
        }

        var amount = prevented * baseline * (perMinute + (hourly / 60));
        return new SavingsLine(PreventionDefinition, Math.Round(amount, 2), Invariant(
            $"{prevented} × {baseline:0.##} min × ({perMinute:0.##} + {hourly:0.##} ÷ 60) = {amount:0.##} {options.Currency}"), []);
    }

    private static SavingsLine Faster(CostOptions options, IReadOnlyDictionary<Severity, List<double>> ttrBySeverity)
    {
        var missing = new List<string>();
        var hourly = options.ResponderHourlyCost ?? Missing("ResponderHourlyCost", missing);
        var terms = new List<(string Text, double Amount)>();
        foreach (var (severity, minutes) in ttrBySeverity.OrderByDescending(p => p.Key))
        {
            var baseline = Need(options.BaselineMttrMinutes, severity, "BaselineMttrMinutes", missing);
            var perMinute = Need(options.CostPerMinute, severity, "CostPerMinute", missing);
            // Summed in ascending order: the figure must not depend on the order facts are stored in.
            var mean = minutes.Order().Sum() / minutes.Count;
            var amount = minutes.Count * (baseline - mean) * (perMinute + (hourly / 60));
            terms.Add((Invariant($"{Name(severity)}: {minutes.Count} × ({baseline:0.##} − {mean:0.##}) min × ({perMinute:0.##} + {hourly:0.##} ÷ 60) = {amount:0.##}"), amount));
        }

        if (missing.Count > 0)
        {
            return new SavingsLine(FasterResolutionDefinition, null, null, [.. missing.Distinct()]);
        }

        var total = terms.Sum(t => t.Amount);
        var arithmetic = terms.Count == 0
            ? "no resolved incidents in the window: 0"
            : string.Join("; ", terms.Select(t => t.Text)) + Invariant($"; total {total:0.##} {options.Currency}");
        return new SavingsLine(FasterResolutionDefinition, Math.Round(total, 2), arithmetic, []);
    }

    private static double Need(Dictionary<Severity, double> values, Severity severity, string name, List<string> missing) =>
        values.TryGetValue(severity, out var value) ? value : Missing($"{name}:{severity}", missing);

    private static double Missing(string key, List<string> missing)
    {
        missing.Add($"{CostOptions.Section}:{key}");
        return 0;
    }

    private static string Name(Severity severity) => severity.ToString().ToLowerInvariant();

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
