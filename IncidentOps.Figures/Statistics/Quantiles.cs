namespace IncidentOps.Figures.Statistics;

/// <summary>Sample quantiles of sorted data.</summary>
public static class Quantiles
{
    /// <summary>
    /// The <paramref name="p"/> quantile of ascending <paramref name="sorted"/> by linear interpolation between order
    /// statistics (Hyndman and Fan type 7, the default of R, NumPy and Excel's PERCENTILE.INC), so our p90 matches
    /// what a reader gets from their own spreadsheet. Null for no data.
    /// </summary>
    public static double? Of(ReadOnlySpan<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        if (sorted.Length == 0)
        {
            return null;
        }

        var h = (sorted.Length - 1) * p;
        var lo = (int)Math.Floor(h);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + ((h - lo) * (sorted[hi] - sorted[lo]));
    }

    public static double? Median(ReadOnlySpan<double> sorted) => Of(sorted, 0.5);
}
