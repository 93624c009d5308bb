namespace IncidentOps.Core.Ai;

/// <summary>
/// Fixed log-spaced latency buckets for all-time percentiles: counters in a Redis hash add up across
/// replicas, where a list of every latency would not fit. Percentiles interpolate inside a bucket.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Bucket upper bounds in ms (roughly ×1.5 apart from 1 ms to 10 min).</summary>
    public static IReadOnlyList<double> Bounds { get; } = BuildBounds();

    public static double BucketOf(double latencyMs)
    {
        foreach (var bound in Bounds)
        {
            if (latencyMs <= bound)
            {
                return bound;
            }
        }

        return Bounds[^1];
    }

    /// <summary>The <paramref name="quantile"/> (0..1) of a histogram of bucket bound → count, or null when empty.</summary>
    public static double? Percentile(IReadOnlyDictionary<double, long> counts, double quantile)
    {
        var total = counts.Values.Sum();
        if (total == 0)
        {
            return null;
        }

        var rank = quantile * total;
        double seen = 0, lower = 0;
        foreach (var bound in Bounds)
        {
            var count = counts.GetValueOrDefault(bound);
            if (count > 0 && seen + count >= rank)
            {
                return Math.Round(lower + ((bound - lower) * ((rank - seen) / count)), 1);
            }

            seen += count;
            lower = bound;
        }

        return Bounds[^1];
    }

    /// <summary>Exact percentile of raw samples (nearest-rank with linear interpolation).</summary>
    public static double? Percentile(IReadOnlyList<double> samples, double quantile)
    {
        if (samples.Count == 0)
        {
            return null;
        }

        var sorted = samples.Order().ToArray();
        var position = quantile * (sorted.Length - 1);
        var low = (int)Math.Floor(position);
        var high = (int)Math.Ceiling(position);
        return Math.Round(sorted[low] + ((sorted[high] - sorted[low]) * (position - low)), 1);
    }

    private static double[] BuildBounds()
    {
        var bounds = new List<double>();
        for (var b = 1.0; b < 600_000; b = Math.Ceiling(b * 1.5))
        {
            bounds.Add(b);
        }

        bounds.Add(600_000);
        return [.. bounds];
    }
}
