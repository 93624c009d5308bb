using IncidentOps.Core.Domain;
using IncidentOps.Figures;
using IncidentOps.Figures.Statistics;
using static IncidentOps.Metrics.Tests.Facts;

namespace IncidentOps.Metrics.Tests;

public class BusinessCalculatorTests
{
    private static readonly MetricsQuery Week = MetricsQuery.Week;

    [Fact]
    public void Durations_have_mean_intervals_median_and_p90_computed_by_hand()
    {
        var figures = Calculator().Compute(
        [
            Fact("a", 300, 10, acknowledgedAfter: 2), Fact("b", 300, 20, acknowledgedAfter: 4),
            Fact("c", 300, 30, acknowledgedAfter: 6), Fact("d", 300, 40, acknowledgedAfter: 8),
        ], Week);

        var mttr = figures.Mttr;
        Assert.Equal(4, mttr.SampleSize);
        Assert.Equal(25, mttr.MeanMinutes);
        Assert.Equal(4.4574, mttr.TInterval.Low!.Value, 3);
        Assert.Equal(45.5426, mttr.TInterval.High!.Value, 3);
        // Type 7: h = 3 × 0.9 = 2.7 → 30 + 0.7 × (40 − 30) = 37.
        Assert.Equal(37, mttr.P90Minutes);
        Assert.Equal(25, mttr.MedianMinutes);
        Assert.Null(mttr.MedianInterval.Low);
        Assert.InRange(mttr.Bootstrap.Low!.Value, 10, 25);
        Assert.InRange(mttr.Bootstrap.High!.Value, 25, 40);
        Assert.Equal(10_000, mttr.Bootstrap.Resamples);

        Assert.Equal(5, figures.Mtta.MeanMinutes);
        Assert.Equal(4, figures.Mtta.SampleSize);

        // Every first alert fired 1 minute before detection: identical durations, a zero-width interval.
        Assert.Equal(1, figures.Mttd.MeanMinutes);
        Assert.Equal((1.0, 1.0), (figures.Mttd.TInterval.Low!.Value, figures.Mttd.TInterval.High!.Value));
        Assert.Equal((1.0, 1.0), (figures.Mttd.Bootstrap.Low!.Value, figures.Mttd.Bootstrap.High!.Value));
        Assert.Contains("first alert", figures.Mttd.Definition, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_incidents_are_censored_in_the_survival_curve_and_absent_from_MTTR()
    {
        var figures = Calculator().Compute(
            [Fact("a", 300, 10), Fact("b", 300, 20), Fact("open-1", 60, null), Fact("open-2", 90, null)], Week);

        // Mean of the two resolved: 15, s = 7.071, s/√2 = 5, t(0.975, 1) = 12.7062 → 15 ± 63.531.
        Assert.Equal(15, figures.Mttr.MeanMinutes);
        Assert.Equal(-48.531, figures.Mttr.TInterval.Low!.Value, 3);
        // KM: 4 at risk, one resolves at 10 → 3/4; 3 at risk, one at 20 → 1/2; the two open are censored at 60 and 90.
        var km = figures.TimeToResolve;
        Assert.Equal((4, 2, 2), (km.SampleSize, km.Resolved, km.Censored));
        Assert.Equal([0.75, 0.5, 0.5, 0.5], km.Curve.Select(p => p.Survival));
        Assert.Equal([10.0, 20, 60, 90], km.Curve.Select(p => p.Time));
        Assert.Equal(20, km.MedianMinutes);
        Assert.Equal(2, figures.IncidentsHandled.Count);
    }

    [Fact]
    public void Clock_skewed_timestamps_are_left_out_of_the_figures_they_break_and_counted()
    {
        var figures = Calculator().Compute(
        [
            Fact("a", 300, 10, acknowledgedAfter: 1), Fact("b", 300, 20, acknowledgedAfter: 1),
            Fact("resolved-before-detected", 300, -5, acknowledgedAfter: 1),
            Fact("acknowledged-before-detected", 300, 30, acknowledgedAfter: -2),
        ], Week);

        Assert.Equal(3, figures.Mttr.SampleSize);
        Assert.Equal(1, figures.Mttr.RejectedClockSkew);
        Assert.Equal(20, figures.Mttr.MeanMinutes);
        Assert.Equal(3, figures.Mtta.SampleSize);
        Assert.Equal(1, figures.Mtta.RejectedClockSkew);
        Assert.Equal(3, figures.TimeToResolve.SampleSize);
        Assert.Equal(2, figures.DataQuality.RejectedClockSkew);
        Assert.Equal(2, figures.DataQuality.CompleteTimestamps);
        Assert.Contains("2 left out for clock skew", figures.DataQuality.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Window_service_and_severity_select_the_cohort()
    {
        IncidentFact[] facts =
        [
            Fact("recent", 60, 10), Fact("eight-days-ago", 8 * 24 * 60, 20), Fact("forty-days-ago", 40 * 24 * 60, 30),
            Fact("other-service", 60, 40, service: "search"), Fact("warning", 60, 50, severity: Severity.Warning),
        ];
        var calculator = Calculator();

        Assert.Equal(3, calculator.Compute(facts, Week).Mttr.SampleSize);
        Assert.Equal(4, calculator.Compute(facts, new MetricsQuery("30d")).Mttr.SampleSize);
        Assert.Equal(30, calculator.Compute(facts, new MetricsQuery("30d")).Window.To.Subtract(calculator.Compute(facts, new MetricsQuery("30d")).Window.From).TotalDays);
        Assert.Equal(2, calculator.Compute(facts, new MetricsQuery("7d", Service: "CHECKOUT")).Mttr.SampleSize);
        Assert.Equal(50, calculator.Compute(facts, new MetricsQuery("7d", Severity: Severity.Warning)).Mttr.MeanMinutes);
    }

    private static IncidentFact[] PreventionCohort() =>
    [
        Fact("prevented", 300, 30, severity: Severity.Warning, candidate: true, plan: true, approved: true, succeeded: true),
        Fact("candidate-went-critical", 300, 50, severity: Severity.Warning, candidate: true, maxAlert: Severity.Critical, plan: true, approved: true, succeeded: true),
        Fact("not-a-candidate", 300, 40, severity: Severity.Warning, candidate: false, plan: true, approved: true, succeeded: false),
        Fact("candidate-still-open", 300, null, severity: Severity.Warning, candidate: true),
        Fact("no-prediction", 300, 40, severity: Severity.Warning),
        Fact("recurrence", 100, null, previous: "candidate-went-critical"),
    ];

    [Fact]
    public void Prevented_counts_resolved_candidates_that_no_critical_alert_joined()
    {
        var figures = Calculator().Compute(PreventionCohort(), Week);

        Assert.Equal(1, figures.IncidentsPrevented.Count);
        Assert.Contains("preventionCandidate", figures.IncidentsPrevented.Definition, StringComparison.Ordinal);
        Assert.Equal(4, figures.IncidentsHandled.Count);
    }

    [Fact]
    public void Efficiency_and_success_rate_are_shares_with_Wilson_intervals()
    {
        var figures = Calculator().Compute(PreventionCohort(), Week);

        // 4 resolved, one escalated (its alerts rose to critical): 3/4, Wilson [0.3006, 0.9544].
        Assert.Equal((3, 4, 0.75), (figures.Efficiency.Numerator, figures.Efficiency.Denominator, figures.Efficiency.Value!.Value));
        Assert.Equal(0.3006, figures.Efficiency.Interval.Low!.Value, 4);
        Assert.Equal(0.9544, figures.Efficiency.Interval.High!.Value, 4);
        // Three resolved with an approved remediation: one worked, one's action failed, one recurred: 1/3.
        Assert.Equal((1, 3), (figures.SuccessRate.Numerator, figures.SuccessRate.Denominator));
        Assert.Contains("÷", figures.SuccessRate.Formula, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_savings_show_their_arithmetic_under_the_configured_assumptions()
    {
        var cost = new CostOptions
        {
            Currency = "EUR",
            ResponderHourlyCost = 120,
            CostPerMinute = { [Severity.Critical] = 100, [Severity.Warning] = 10 },
            BaselineMttrMinutes = { [Severity.Critical] = 60, [Severity.Warning] = 90 },
        };

        var savings = Calculator(cost).Compute(PreventionCohort(), Week).CostSavings;

        // Prevention: 1 × 60 × (100 + 120/60) = 6120. Faster: the 4 resolved warnings average (30+50+40+40)/4 = 40 min:
        // 4 × (90 − 40) × (10 + 2) = 2400.
        Assert.Equal("configured", savings.Status);
        Assert.Equal(6120, savings.Prevention.Amount);
        Assert.Equal(2400, savings.FasterResolution.Amount);
        Assert.Equal(8520, savings.Total);
        Assert.Equal("EUR", savings.Currency);
        Assert.Contains("1 × 60 min × (100 + 120 ÷ 60) = 6120 EUR", savings.Prevention.Arithmetic, StringComparison.Ordinal);
        Assert.Contains("warning: 4 × (90 − 40) min", savings.FasterResolution.Arithmetic, StringComparison.Ordinal);
        Assert.Equal(60, savings.Assumptions.BaselineMttrMinutes["critical"]);
    }

    [Fact]
    public void Without_assumptions_there_is_no_cost_figure_and_the_missing_keys_are_named()
    {
        var savings = Calculator().Compute(PreventionCohort(), Week).CostSavings;

        Assert.Equal("not configured", savings.Status);
        Assert.Null(savings.Total);
        Assert.Null(savings.Prevention.Amount);
        Assert.Null(savings.FasterResolution.Amount);
        Assert.Null(savings.Currency);
        Assert.Contains("Metrics:Cost:CostPerMinute:Critical", savings.Prevention.Missing);
        Assert.Contains("Metrics:Cost:ResponderHourlyCost", savings.Prevention.Missing);
        Assert.Contains("Metrics:Cost:BaselineMttrMinutes:Warning", savings.FasterResolution.Missing);
    }

    [Fact]
    public void A_missing_baseline_for_one_severity_leaves_only_that_line_unconfigured()
    {
        var cost = new CostOptions
        {
            ResponderHourlyCost = 120,
            CostPerMinute = { [Severity.Critical] = 100, [Severity.Warning] = 10 },
            BaselineMttrMinutes = { [Severity.Critical] = 60 },
        };

        var savings = Calculator(cost).Compute(PreventionCohort(), Week).CostSavings;

        Assert.Equal("partly configured", savings.Status);
        Assert.Equal(6120, savings.Prevention.Amount);
        Assert.Null(savings.FasterResolution.Amount);
        Assert.Equal(["Metrics:Cost:BaselineMttrMinutes:Warning"], savings.FasterResolution.Missing);
        Assert.Null(savings.Total);
    }

    [Fact]
    public void Data_quality_says_how_much_to_trust_the_week_in_plain_words()
    {
        var figures = Calculator().Compute(
        [
            Fact("a", 300, 10, acknowledgedAfter: 1), Fact("b", 300, 20, acknowledgedAfter: 1),
            Fact("c", 300, 30, acknowledgedAfter: 1), Fact("d", 300, 40),
        ], Week);

        Assert.Equal("low", figures.DataQuality.Confidence);
        Assert.StartsWith("low: 4 resolved incidents this week", figures.DataQuality.Summary, StringComparison.Ordinal);
        Assert.Equal(0.75, figures.DataQuality.CompleteShare);
    }

    [Theory]
    [InlineData(30, 0, "high")]
    [InlineData(29, 0, "medium")]
    [InlineData(10, 0, "medium")]
    [InlineData(9, 0, "low")]
    [InlineData(30, 8, "medium")]
    [InlineData(30, 7, "high")]
    public void Confidence_follows_the_resolved_count_and_drops_a_level_with_much_clock_skew(int resolved, int skewed, string expected)
    {
        var facts = Enumerable.Range(0, resolved).Select(i => Fact($"ok{i}", 300, 10 + i))
            .Concat(Enumerable.Range(0, skewed).Select(i => Fact($"skew{i}", 300, -1)));

        var quality = Calculator().Compute(facts, Week).DataQuality;

        // Confidence rests on the valid resolution times; more than a fifth of the cohort clock-skewed costs a level.
        Assert.Equal(expected, quality.Confidence);
        Assert.Equal(skewed, quality.RejectedClockSkew);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Tiny_samples_give_what_they_can_and_null_for_the_rest(int n)
    {
        var facts = Enumerable.Range(0, n).Select(i => Fact($"i{i}", 300, 10 * (i + 1))).ToArray();

        var figures = Calculator().Compute(facts, Week);

        Assert.Equal(n, figures.Mttr.SampleSize);
        Assert.Equal(n == 0 ? null : n == 1 ? 10 : 15, figures.Mttr.MeanMinutes);
        Assert.Equal(n >= 2, figures.Mttr.TInterval.Low is not null);
        Assert.Equal(n >= 2, figures.Mttr.Bootstrap.Low is not null);
        Assert.Null(figures.Mttr.MedianInterval.Low);
        Assert.Equal(n == 0 ? null : 10, figures.TimeToResolve.MedianMinutes);
        Assert.Equal(n == 0 ? null : 1.0, figures.Efficiency.Value);
        Assert.Null(figures.SuccessRate.Value);
        Assert.Equal(7, figures.Trends.Daily.Count);
        Assert.Equal("low", figures.DataQuality.Confidence);
    }

    [Fact]
    public void All_open_incidents_give_no_MTTR_and_a_curve_that_never_falls()
    {
        var figures = Calculator().Compute([Fact("x", 30, null), Fact("y", 60, null)], Week);

        Assert.Null(figures.Mttr.MeanMinutes);
        Assert.Equal(2, figures.TimeToResolve.Censored);
        Assert.Null(figures.TimeToResolve.MedianMinutes);
        Assert.All(figures.TimeToResolve.Curve, p => Assert.Equal(1, p.Survival));
    }

    [Fact]
    public void The_count_change_test_is_the_exact_conditional_binomial()
    {
        // 30 vs 10: p = 2 · P(X ≤ 10), X ~ Binomial(40, ½) = 2 · Σₖ₌₀¹⁰ C(40, k) / 2⁴⁰ = 0.0022214.
        Assert.Equal(0.0022214, TrendCalculator.CountPValue(30, 10)!.Value, 6);
        Assert.Equal(1, TrendCalculator.CountPValue(12, 12)!.Value, 9);
        Assert.Null(TrendCalculator.CountPValue(0, 0));
    }

    [Fact]
    public void Summary_median_interval_appears_once_there_are_enough_resolved_incidents()
    {
        var facts = Enumerable.Range(1, 10).Select(i => Fact($"i{i}", 300, i)).ToArray();

        var mttr = Calculator().Compute(facts, Week).Mttr;

        // n = 10: [x(2), x(9)] = [2, 9], coverage 1 − 22/1024.
        Assert.Equal((2.0, 9.0), (mttr.MedianInterval.Low!.Value, mttr.MedianInterval.High!.Value));
        Assert.Equal(DurationFigures.Round(1 - (22 / 1024.0)), mttr.MedianInterval.Coverage);
        Assert.Equal(MeanEstimate.Of([.. facts.Select(f => (f.ResolvedMs!.Value - f.DetectedMs) / 60_000.0)]).Mean, mttr.MeanMinutes);
    }
}
