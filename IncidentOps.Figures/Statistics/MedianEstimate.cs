using MathNet.Numerics.Distributions;

namespace IncidentOps.Figures.Statistics;

/// <summary>
/// A sample median with its distribution-free confidence interval [x(l), x(u)] from order statistics: the number of
/// observations below the true median is Binomial(n, ½) whatever the distribution, so the interval's coverage is
/// exact (<see cref="Coverage"/>, at least the level asked for). Below n = 6 no pair of order statistics reaches 95%,
/// and the interval is null rather than pretend.
/// </summary>
public sealed record MedianEstimate(int SampleSize, double? Median, double? Low, double? High, double? Coverage)
{
    public static MedianEstimate Of(ReadOnlySpan<double> sorted, double confidence = 0.95)
    {
        var n = sorted.Length;
        var median = Quantiles.Median(sorted);
        var tail = (1 - confidence) / 2;

        // l = the largest order statistic with P(B ≤ l − 1) ≤ tail; by symmetry u = n + 1 − l.
        // Start a little below the normal approximation and walk up: a handful of CDF calls even at n = 100,000.
        var l = Math.Max(0, (int)Math.Floor((n / 2.0) - (3 * Math.Sqrt(n) / 2)) - 2);
        while (l > 0 && Binomial.CDF(0.5, n, l - 1) > tail)
        {
            l--;
        }

        while (l + 1 <= n && Binomial.CDF(0.5, n, l) <= tail)
        {
            l++;
        }

        if (l == 0)
        {
            return new MedianEstimate(n, median, null, null, null);
        }

        var u = n + 1 - l;
        var coverage = 1 - (2 * Binomial.CDF(0.5, n, l - 1));
        return new MedianEstimate(n, median, sorted[l - 1], sorted[u - 1], coverage);
    }
}
