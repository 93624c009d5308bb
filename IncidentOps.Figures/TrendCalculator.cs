using System.Globalization;
using IncidentOps.Core.Domain;
using IncidentOps.Figures.Statistics;
using MathNet.Numerics.Distributions;

namespace IncidentOps.Figures;

/// <summary>Daily points of the last 7 days and the change against the 7 days before, tested rather than eyeballed.</summary>
public static class TrendCalculator
{
    public const string Definition =
        "Daily points (UTC days, today last and partial) of incidents detected, how many of them are resolved, their mean MTTR and " +
        "severity mix; recent days only count incidents resolved so far (see timeToResolve for the censoring-aware view). Change: the " +
        "last 7×24 h against the 7×24 h before. Incident counts: conditional binomial test (given the total, each incident is equally " +
        "likely to fall in either week under no change), exact two-sided p. MTTR: Mann–Whitney U test (normal approximation, tie and " +
        "continuity corrected), two-sided p. Distinguishable = p < 0.05; otherwise the change is within what chance produces.";

    private static readonly Severity[] Severities = [Severity.Critical, Severity.Error, Severity.Warning, Severity.Info];

    public static TrendFigure Compute(FactTable table, MetricsQuery query, DateTimeOffset now)
    {
        var services = table.ServiceFilter(query.Service);
        var nowMs = now.ToUnixTimeMilliseconds();
        var weekMs = (long)TimeSpan.FromDays(7).TotalMilliseconds;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstDay = today.AddDays(-6);
        var firstDayMs = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).ToUnixTimeMilliseconds();

        var days = Enumerable.Range(0, 7).Select(_ => new DayTally()).ToArray();
        var current = new WeekTally();
        var previous = new WeekTally();
        foreach (var fact in table.RowArray)
        {
            if (fact.DetectedMs >= nowMs || fact.DetectedMs < nowMs - (2 * weekMs) || !query.Matches(fact, services))
            {
                continue;
            }

            double? ttr = DurationFigures.Minutes(fact.DetectedMs, fact.ResolvedMs) is { } m && m >= 0 ? m : null;
            (fact.DetectedMs >= nowMs - weekMs ? current : previous).Add(fact.Severity, ttr);
            var day = (int)Math.Floor((fact.DetectedMs - firstDayMs) / 86_400_000.0);
            if (day is >= 0 and < 7)
            {
                days[day].Add(fact.Severity, ttr);
            }
        }

        var daily = days.Select((d, i) => new TrendPoint(
            firstDay.AddDays(i), d.Count, d.Ttr.Count, DurationFigures.Round(OrderedMean(d.Ttr)), Mix(d.Severity))).ToList();
        return new TrendFigure(Definition, daily, Change(current, previous));
    }

    private static TrendChange Change(WeekTally current, WeekTally previous)
    {
        var countP = CountPValue(current.Count, previous.Count);
        var mttr = MannWhitney.Test(current.Ttr.ToArray(), previous.Ttr.ToArray());
        var median = Median(current.Ttr);
        var previousMedian = Median(previous.Ttr);
        var countDistinguishable = countP < 0.05;
        var mttrDistinguishable = mttr.PValue < 0.05;
        var mttrChange = Percent(median, previousMedian);
        var counts = Invariant($"{current.Count} incidents vs {previous.Count} the week before ({Verdict(countDistinguishable)}")
            + (countP is { } cp ? Invariant($", p = {cp:0.###})") : ")");
        var times = mttr.PValue is { } mp
            ? Invariant($"median MTTR {median:0.#} vs {previousMedian:0.#} min ({Verdict(mttrDistinguishable)}, p = {mp:0.###})")
            : "median MTTR not comparable (no resolved incidents in one of the weeks)";
        var summary = $"{counts}; {times}";
        return new TrendChange(
            current.Count, previous.Count, Percent(current.Count, previous.Count), DurationFigures.Round(countP), countDistinguishable,
            current.Ttr.Count, previous.Ttr.Count, DurationFigures.Round(median), DurationFigures.Round(previousMedian), mttrChange,
            DurationFigures.Round(mttr.PValue), mttrDistinguishable, Shares(current), Shares(previous), summary);
    }

    /// <summary>Exact two-sided p of the conditional binomial test: given c + p incidents, c ~ Binomial(c + p, ½) under no change.</summary>
    public static double? CountPValue(int current, int previous)
    {
        var total = current + previous;
        if (total == 0)
        {
            return null;
        }

        var lower = Binomial.CDF(0.5, total, Math.Min(current, previous));
        return Math.Min(1, 2 * lower);
    }

    private static string Verdict(bool distinguishable) => distinguishable ? "a real change" : "within chance";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static double? Percent(double? now, double? before) =>
        now is { } n && before is { } b && b > 0 ? Math.Round((n - b) / b * 100, 2) : null;

    /// <summary>The mean summed in ascending order, so it does not depend on the order facts are stored in.</summary>
    private static double? OrderedMean(List<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        values.Sort();
        return values.Sum() / values.Count;
    }

    private static double? Median(List<double> values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return Quantiles.Median(sorted);
    }

    private static Dictionary<string, int> Mix(int[] bySeverity) =>
        Severities.ToDictionary(s => s.ToString().ToLowerInvariant(), s => bySeverity[(int)s]);

    private static Dictionary<string, double> Shares(WeekTally week) =>
        Severities.ToDictionary(s => s.ToString().ToLowerInvariant(), s => week.Count == 0 ? 0 : Math.Round((double)week.Severity[(int)s] / week.Count, 4));

    private class DayTally
    {
        public int Count { get; private set; }

        public int[] Severity { get; } = new int[4];

        public List<double> Ttr { get; } = [];

        public void Add(Severity severity, double? ttr)
        {
            Count++;
            Severity[(int)severity]++;
            if (ttr is { } t)
            {
                Ttr.Add(t);
            }
        }
    }

    private sealed class WeekTally : DayTally;
}
