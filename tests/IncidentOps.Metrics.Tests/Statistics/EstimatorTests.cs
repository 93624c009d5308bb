using IncidentOps.Figures.Statistics;

namespace IncidentOps.Metrics.Tests.Statistics;

public class EstimatorTests
{
    [Fact]
    public void Quantiles_interpolate_like_a_spreadsheet()
    {
        double[] oneToTen = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        // Excel PERCENTILE.INC(1..10, 0.9) = 9.1; median of an even count is the mean of the middle two.
        Assert.Equal(9.1, Quantiles.Of(oneToTen, 0.9)!.Value, 12);
        Assert.Equal(5.5, Quantiles.Median(oneToTen));
        Assert.Equal(7, Quantiles.Of([7], 0.9));
        Assert.Null(Quantiles.Median([]));
    }

    [Fact]
    public void The_median_interval_uses_the_binomial_order_statistics()
    {
        double[] sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

        // n = 10: P(B ≤ 1) = 11/1024 ≤ 0.025 < P(B ≤ 2) = 56/1024, so [x(2), x(9)] with coverage 1 − 22/1024.
        var estimate = MedianEstimate.Of(sorted);

        Assert.Equal(5.5, estimate.Median);
        Assert.Equal(2, estimate.Low);
        Assert.Equal(9, estimate.High);
        Assert.Equal(1 - (22 / 1024.0), estimate.Coverage!.Value, 12);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    public void Below_six_values_no_median_interval_reaches_95_percent(int n)
    {
        var estimate = MedianEstimate.Of(Enumerable.Range(1, n).Select(i => (double)i).ToArray());

        Assert.Null(estimate.Low);
        Assert.Null(estimate.High);
        Assert.Equal(n == 0 ? null : (n + 1) / 2.0, estimate.Median);
    }

    [Fact]
    public void Six_values_give_the_extremes_with_coverage_31_of_32()
    {
        var estimate = MedianEstimate.Of([1, 2, 3, 4, 5, 6]);

        Assert.Equal((1.0, 6.0), (estimate.Low!.Value, estimate.High!.Value));
        Assert.Equal(1 - (2 / 64.0), estimate.Coverage!.Value, 12);
    }

    [Fact]
    public void Large_samples_find_the_median_interval_near_the_normal_approximation()
    {
        var sorted = Enumerable.Range(1, 100_000).Select(i => (double)i).ToArray();

        var estimate = MedianEstimate.Of(sorted);

        // n/2 ∓ 1.96·√n/2 = 50000 ∓ 309.9: the order statistics are within a couple of ranks of that.
        Assert.InRange(estimate.Low!.Value, 49_688, 49_692);
        Assert.InRange(estimate.High!.Value, 50_309, 50_313);
        Assert.InRange(estimate.Coverage!.Value, 0.95, 0.951);
    }

    [Fact]
    public void Wilson_intervals_match_hand_computation_and_stay_inside_zero_one()
    {
        // 8 of 10: centre (0.8 + 1.92/10)/(1 + 3.8415/10) = 0.7167, half-width 0.2266 → [0.4902, 0.9433].
        var eight = ProportionEstimate.Of(8, 10);
        Assert.Equal(0.8, eight.Share);
        Assert.Equal(0.4902, eight.Low!.Value, 4);
        Assert.Equal(0.9433, eight.High!.Value, 4);

        // 0 of 3: [0, z²/n / (1 + z²/n)] = [0, 0.5615].
        var none = ProportionEstimate.Of(0, 3);
        Assert.Equal(0, none.Low);
        Assert.Equal(0.5615, none.High!.Value, 4);

        Assert.Null(ProportionEstimate.Of(0, 0).Share);
    }

    [Fact]
    public void Mann_Whitney_with_ties_matches_hand_computation()
    {
        // A = 1,3,3,5; B = 2,3,6,7,8. Ranks: 1→1, 2→2, the three 3s → 4 each, 5→6, 6→7, 7→8, 8→9.
        // R_A = 1+4+4+6 = 15, U = 15 − 10 = 5, E[U] = 10, Var = 20/12·(10 − 24/72) = 16.111,
        // z = (5 − 10 + 0.5)/√16.111 = −1.1211, p = 2Φ(−1.1211) = 0.26224 (R: wilcox.test(exact = FALSE)).
        var test = MannWhitney.Test([1, 3, 3, 5], [2, 3, 6, 7, 8]);

        Assert.Equal(5, test.U);
        Assert.Equal(-1.1211, test.Z!.Value, 4);
        Assert.Equal(0.26224, test.PValue!.Value, 5);
    }

    [Fact]
    public void Mann_Whitney_separates_clearly_shifted_samples_and_not_identical_ones()
    {
        var low = Enumerable.Range(1, 20).Select(i => (double)i).ToArray();
        var high = Enumerable.Range(21, 20).Select(i => (double)i).ToArray();

        Assert.True(MannWhitney.Test(low, high).PValue < 0.001);
        Assert.Equal(1, MannWhitney.Test(low, low).PValue!.Value, 6);
        Assert.Null(MannWhitney.Test([5, 5], [5, 5, 5]).PValue);
        Assert.Null(MannWhitney.Test([], [1]).PValue);
    }

    [Fact]
    public void Mann_Whitney_stays_exact_for_samples_beyond_the_int_range_of_n_squared()
    {
        // n1 = 50,000: n1(n1+1)/2 overflows a 32-bit int. A entirely below B: U = 0, z far below -3.
        var a = Enumerable.Range(0, 50_000).Select(i => (double)i).ToArray();
        var b = Enumerable.Range(50_000, 1_000).Select(i => (double)i).ToArray();

        var test = MannWhitney.Test(a, b);

        Assert.Equal(0, test.U);
        Assert.True(test.Z < -30);
        Assert.True(test.PValue < 1e-6);
    }
}
