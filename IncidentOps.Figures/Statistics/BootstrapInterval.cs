namespace IncidentOps.Figures.Statistics;

/// <summary>
/// Percentile bootstrap interval of the mean: <see cref="Resamples"/> resamples of the data with replacement, the
/// interval is the α/2 and 1−α/2 quantiles of their means. Resample b draws from its own xoshiro256** stream seeded
/// from (<see cref="Seed"/>, b), so the interval is the same on every run and for any number of threads.
/// </summary>
public sealed record BootstrapInterval(int SampleSize, int Resamples, ulong Seed, double? Low, double? High)
{
    public const ulong DefaultSeed = 20261126;
    public const int DefaultResamples = 10_000;

    public static BootstrapInterval OfMean(
        ReadOnlySpan<double> values, int resamples = DefaultResamples, ulong seed = DefaultSeed, double confidence = 0.95)
    {
        var n = values.Length;
        if (n < 2 || resamples < 1)
        {
            // One value resamples to itself: there is no spread to estimate.
            return new BootstrapInterval(n, resamples, seed, null, null);
        }

        // float halves the working set (100k values fit the L2 cache), and the sums run in double: the rounding is
        // around 1e-7 relative, far inside the interval's own resampling noise.
        var data = new float[n];
        for (var i = 0; i < n; i++)
        {
            data[i] = (float)values[i];
        }

        var means = new double[resamples];
        var blocks = Math.Max(1, Math.Min(Environment.ProcessorCount * 4, resamples / 64));
        Parallel.For(0, blocks, block =>
        {
            var start = (int)((long)resamples * block / blocks);
            var end = (int)((long)resamples * (block + 1) / blocks);
            var b = start;
            if (BootstrapLanes.IsSupported)
            {
                for (; b + 4 <= end; b += 4)
                {
                    BootstrapLanes.FourResampleMeans(data, seed, b, means);
                }
            }

            for (; b < end; b++)
            {
                means[b] = ResampleMean(data, Xoshiro256StarStar.ForStream(seed, (ulong)b));
            }
        });

        Array.Sort(means);
        // Rounded: (1 − 0.95)/2 is 0.025000000000000022 in binary, which would interpolate a hair off the 2.5th percentile.
        var tail = Math.Round((1 - confidence) / 2, 12);
        return new BootstrapInterval(n, resamples, seed, Quantiles.Of(means, tail), Quantiles.Of(means, 1 - tail));
    }

    /// <summary>One resample's mean; <see cref="BootstrapLanes"/> computes exactly this for four resamples at once.</summary>
    internal static double ResampleMean(float[] data, Xoshiro256StarStar rng)
    {
        var n = (uint)data.Length;
        double s0 = 0, s1 = 0;
        var i = 0u;

        // Two accumulators and two draws per 64-bit output: the loop is bound by the random loads, not the adds.
        for (; i + 1 < n; i += 2)
        {
            var r = rng.NextUInt64();
            s0 += data[(int)(((r >> 32) * n) >> 32)];
            s1 += data[(int)(((r & 0xFFFFFFFFUL) * n) >> 32)];
        }

        if (i < n)
        {
            s0 += data[rng.NextBelow(n)];
        }

        return (s0 + s1) / n;
    }
}
