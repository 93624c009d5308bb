using IncidentOps.Figures.Statistics;

namespace IncidentOps.Metrics.Tests.Statistics;

public class BootstrapTests
{
    [Fact]
    public void Xoshiro256StarStar_matches_the_reference_implementation()
    {
        // Outputs of Vigna's xoshiro256starstar.c from the state {1, 2, 3, 4}.
        var rng = Xoshiro256StarStar.FromState(1, 2, 3, 4);

        Assert.Equal([11520UL, 0UL, 1509978240UL, 1215971899390074240UL], new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(3)]
    public void The_interval_is_the_percentiles_of_resample_means_drawn_from_per_resample_streams(int n)
    {
        double[] pool = [3, 7, 8, 12, 15, 21, 30, 44, 60, 95, 130];
        var values = pool[..n];
        const int resamples = 2_001;

        var interval = BootstrapInterval.OfMean(values, resamples, seed: 42);

        // The same procedure written out plainly and single-threaded (the library runs four resamples per AVX2
        // register where it can): resample b draws n indexes, two per 64-bit output, from stream (42, b).
        var means = new double[resamples];
        for (var b = 0; b < resamples; b++)
        {
            var rng = Xoshiro256StarStar.ForStream(42, (ulong)b);
            double upper = 0, lower = 0;
            var i = 0;
            for (; i + 1 < n; i += 2)
            {
                var r = rng.NextUInt64();
                upper += (float)values[(int)(((r >> 32) * (ulong)n) >> 32)];
                lower += (float)values[(int)(((r & 0xFFFFFFFF) * (ulong)n) >> 32)];
            }

            if (i < n)
            {
                upper += (float)values[(int)(((rng.NextUInt64() >> 32) * (ulong)n) >> 32)];
            }

            means[b] = (upper + lower) / n;
        }

        Array.Sort(means);
        Assert.Equal(Quantiles.Of(means, 0.025)!.Value, interval.Low!.Value);
        Assert.Equal(Quantiles.Of(means, 0.975)!.Value, interval.High!.Value);
        Assert.Equal(interval, BootstrapInterval.OfMean(values, resamples, seed: 42));
        Assert.NotEqual(interval, BootstrapInterval.OfMean(values, resamples, seed: 43));
    }

    [Fact]
    public void For_a_large_symmetric_sample_it_agrees_with_the_t_interval()
    {
        var rng = new Xoshiro256StarStar(7);
        var values = Enumerable.Range(0, 5_000).Select(_ => rng.NextDouble() * 100).ToArray();

        var bootstrap = BootstrapInterval.OfMean(values);
        var t = MeanEstimate.Of(values);

        var width = t.High!.Value - t.Low!.Value;
        Assert.Equal(t.Low.Value, bootstrap.Low!.Value, width * 0.05);
        Assert.Equal(t.High.Value, bootstrap.High!.Value, width * 0.05);
    }

    [Fact]
    public void Edge_cases_give_no_interval_or_a_degenerate_one()
    {
        Assert.Null(BootstrapInterval.OfMean([]).Low);
        Assert.Null(BootstrapInterval.OfMean([4]).Low);

        var same = BootstrapInterval.OfMean([9, 9, 9]);
        Assert.Equal((9.0, 9.0), (same.Low!.Value, same.High!.Value));
    }
}
