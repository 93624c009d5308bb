using IncidentOps.Testing;
using IncidentOps.Figures;
using static IncidentOps.Metrics.Tests.Facts;

namespace IncidentOps.Metrics.Tests;

public class TrendTests
{
    private static IncidentFact[] TwoWeeks(double currentScale, ulong seed = 11)
    {
        var week = TimeSpan.FromDays(7);
        var current = new IncidentHistoryGenerator(seed).Generate(400, Now, week, medianScale: currentScale, asOf: Now);
        var previous = new IncidentHistoryGenerator(seed + 1).Generate(400, Now - week, week, asOf: Now);
        return [.. current.Concat(previous).Select(g => g.Fact)];
    }

    [Fact]
    public void A_week_resolved_twice_as_fast_is_a_distinguishable_change()
    {
        var facts = TwoWeeks(currentScale: 0.5);

        var trends = Calculator().Compute(facts, MetricsQuery.Week).Trends;

        Assert.True(trends.Change.MttrDistinguishable);
        Assert.True(trends.Change.MttrPValue < 0.001);
        Assert.True(trends.Change.MedianMttrMinutes < trends.Change.PreviousMedianMttrMinutes);
        Assert.Contains("a real change", trends.Change.Summary, StringComparison.Ordinal);

        // Counts checked independently: detections in each 7×24 h span.
        var weekMs = (long)TimeSpan.FromDays(7).TotalMilliseconds;
        Assert.Equal(facts.Count(f => f.DetectedMs >= Ms(Now) - weekMs), trends.Change.Incidents);
        Assert.Equal(facts.Count(f => f.DetectedMs < Ms(Now) - weekMs), trends.Change.PreviousIncidents);
        Assert.False(trends.Change.IncidentsDistinguishable);
    }

    [Fact]
    public void Two_weeks_from_the_same_process_are_not_called_different()
    {
        var trends = Calculator().Compute(TwoWeeks(currentScale: 1), MetricsQuery.Week).Trends;

        Assert.False(trends.Change.MttrDistinguishable);
        Assert.True(trends.Change.MttrPValue > 0.05);
        Assert.Contains("within chance", trends.Change.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Daily_points_count_each_UTC_day_of_the_last_week()
    {
        var facts = TwoWeeks(currentScale: 1);

        var daily = Calculator().Compute(facts, MetricsQuery.Week).Trends.Daily;

        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        Assert.Equal(Enumerable.Range(-6, 7).Select(today.AddDays), daily.Select(d => d.Day));
        foreach (var point in daily)
        {
            var that = facts.Where(f => DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(f.DetectedMs).UtcDateTime) == point.Day).ToList();
            Assert.Equal(that.Count, point.Incidents);
            Assert.Equal(that.Count(f => f.Severity == Core.Domain.Severity.Critical), point.Severity["critical"]);
            var resolved = that.Where(f => f.IsResolved).Select(f => (f.ResolvedMs!.Value - f.DetectedMs) / 60_000.0).ToList();
            Assert.Equal(resolved.Count, point.Resolved);
            Assert.Equal(resolved.Count == 0 ? null : Math.Round(resolved.Average(), 4), point.MttrMinutes);
        }
    }

    [Fact]
    public void Weekends_are_quieter_in_the_generated_history()
    {
        var facts = new IncidentHistoryGenerator(3).Generate(20_000, Now, TimeSpan.FromDays(28)).Select(g => g.Incident).ToList();

        var weekend = facts.Count(i => i.DetectedAt.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) / 8.0;
        var weekday = facts.Count(i => i.DetectedAt.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)) / 20.0;

        Assert.InRange(weekend / weekday, 0.45, 0.55);
    }
}
