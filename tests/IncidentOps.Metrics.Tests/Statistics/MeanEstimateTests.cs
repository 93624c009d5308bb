using IncidentOps.Figures.Statistics;

namespace IncidentOps.Metrics.Tests.Statistics;

public class MeanEstimateTests
{
    [Fact]
    public void The_t_interval_matches_a_hand_computation()
    {
        // 10, 20, 30, 40: mean 25, s = 12.9099, s/√n = 6.45497, t(0.975, 3) = 3.182446
        // half-width = 20.5426 → [4.4574, 45.5426]
        var estimate = MeanEstimate.Of([10, 20, 30, 40]);

        Assert.Equal(4, estimate.SampleSize);
        Assert.Equal(25, estimate.Mean!.Value, 10);
        Assert.Equal(4.4574, estimate.Low!.Value, 3);
        Assert.Equal(45.5426, estimate.High!.Value, 3);
    }

    [Fact]
    public void No_values_give_no_estimate_and_one_value_gives_no_interval()
    {
        var none = MeanEstimate.Of([]);
        Assert.Equal(0, none.SampleSize);
        Assert.Null(none.Mean);

        var one = MeanEstimate.Of([12.5]);
        Assert.Equal(12.5, one.Mean);
        Assert.Null(one.Low);
        Assert.Null(one.High);
    }

    [Fact]
    public void Identical_values_give_a_zero_width_interval()
    {
        var estimate = MeanEstimate.Of([7, 7, 7]);

        Assert.Equal(7, estimate.Low);
        Assert.Equal(7, estimate.High);
    }
}
