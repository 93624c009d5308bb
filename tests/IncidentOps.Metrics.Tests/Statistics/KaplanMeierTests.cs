using IncidentOps.Figures.Statistics;

namespace IncidentOps.Metrics.Tests.Statistics;

public class KaplanMeierTests
{
    // Freireich et al. (1963), remission times in weeks of the 6-MP group (21 patients, 9 relapses; + = censored),
    // as tabulated in Klein & Moeschberger, Survival Analysis (2nd ed.), Table 4.1A, and Kleinbaum & Klein ch. 2.
    private static readonly (double Weeks, bool Relapsed)[] SixMp =
    [
        (6, true), (6, true), (6, true), (6, false), (7, true), (9, false), (10, true), (10, false), (11, false),
        (13, true), (16, true), (17, false), (19, false), (20, false), (22, true), (23, true), (25, false),
        (32, false), (32, false), (34, false), (35, false),
    ];

    private static KaplanMeier Estimate((double, bool)[] data) =>
        KaplanMeier.Estimate(data.Select(d => d.Item1).ToArray(), data.Select(d => d.Item2).ToArray());

    [Fact]
    public void The_6MP_leukemia_data_give_the_published_estimates_and_Greenwood_errors()
    {
        var km = Estimate(SixMp);

        // Published (K&M Table 4.1A): t, S(t), Greenwood standard error.
        (double T, double S, double Se)[] published =
        [
            (6, 0.857, 0.076), (7, 0.807, 0.087), (10, 0.753, 0.096), (13, 0.690, 0.107),
            (16, 0.627, 0.114), (22, 0.538, 0.128), (23, 0.448, 0.135),
        ];
        var steps = km.Curve.Where(p => p.Events > 0).ToList();
        Assert.Equal(published.Length, steps.Count);
        foreach (var (expected, actual) in published.Zip(steps))
        {
            Assert.Equal(expected.T, actual.Time);
            Assert.Equal(expected.S, actual.Survival, 0.0005);
            Assert.Equal(expected.Se, actual.StandardError!.Value, 0.0005);
        }

        Assert.Equal(21, km.SampleSize);
        Assert.Equal(9, km.Events);
        Assert.Equal(12, km.Censored);
        Assert.Equal(23, km.Median);
    }

    [Fact]
    public void The_median_interval_is_read_off_the_log_scale_Greenwood_bands()
    {
        var km = Estimate(SixMp);

        // By hand: at t=13 the lower band is 0.6902·exp(−1.96·0.15476) = 0.5096 > ½; at t=16 it is
        // 0.6274·exp(−1.96·0.18177) = 0.4394 ≤ ½, so the lower limit is 16. The upper band at the last event
        // (t=23) is 0.4482·exp(1.96·0.30031) = 0.807: it never reaches ½, so the upper limit is not reached.
        // (R: survfit(Surv(time, status) ~ 1) on these data prints median 23, 0.95LCL 16, 0.95UCL NA.)
        Assert.Equal(16, km.MedianLow);
        Assert.Null(km.MedianHigh);
        var at16 = km.Curve.Single(p => p.Time == 16);
        Assert.Equal(0.4394, at16.Low!.Value, 0.0005);
    }

    [Fact]
    public void All_censored_keeps_survival_at_one_and_no_median()
    {
        var km = Estimate([(5, false), (10, false), (20, false)]);

        Assert.All(km.Curve, p => Assert.Equal(1, p.Survival));
        Assert.Equal(0, km.Events);
        Assert.Null(km.Median);
        Assert.Null(km.MedianLow);
    }

    [Fact]
    public void No_data_gives_an_empty_curve()
    {
        var km = KaplanMeier.Estimate([], []);

        Assert.Empty(km.Curve);
        Assert.Null(km.Median);
    }

    [Fact]
    public void Identical_durations_all_observed_drop_to_zero_at_once()
    {
        var km = Estimate([(30, true), (30, true), (30, true)]);

        var step = Assert.Single(km.Curve);
        Assert.Equal(0, step.Survival);
        Assert.Equal(3, step.Events);
        Assert.Equal(30, km.Median);
    }

    [Fact]
    public void Without_censoring_the_curve_is_the_empirical_survival_function()
    {
        // 1, 2, 2, 4 all observed: S = 3/4 after 1, 1/4 after 2, 0 after 4; median = 2 (first t with S ≤ ½).
        var km = Estimate([(1, true), (2, true), (2, true), (4, true)]);

        Assert.Equal([0.75, 0.25, 0], km.Curve.Select(p => p.Survival));
        Assert.Equal(2, km.Median);
    }
}
