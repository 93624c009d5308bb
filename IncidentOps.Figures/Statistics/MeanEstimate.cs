using MathNet.Numerics.Distributions;

namespace IncidentOps.Figures.Statistics;

/// <summary>A sample mean with its two-sided Student-t confidence interval.</summary>
public sealed record MeanEstimate(int SampleSize, double? Mean, double? Low, double? High)
{
    /// <summary>
    /// Mean of <paramref name="values"/> and its <paramref name="confidence"/> t-interval. With no values
    /// there is no estimate; with one there is a mean but no interval (the spread is unknown).
    /// </summary>
    public static MeanEstimate Of(IReadOnlyCollection<double> values, double confidence = 0.95)
    {
        var n = values.Count;
        if (n == 0)
        {
            return new MeanEstimate(0, null, null, null);
        }

        var mean = values.Average();
        if (n == 1)
        {
            return new MeanEstimate(1, mean, null, null);
        }

        var variance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        var t = StudentT.InvCDF(0, 1, n - 1, 1 - ((1 - confidence) / 2));
        var half = t * Math.Sqrt(variance / n);
        return new MeanEstimate(n, mean, mean - half, mean + half);
    }
}
