namespace IncidentOps.Figures.Statistics;

/// <summary>
/// A proportion with its Wilson score interval: unlike the textbook p ± z·√(p(1−p)/n) it stays inside [0, 1]
/// and keeps its coverage for the small counts a week of incidents gives (0 of 3, 4 of 4).
/// </summary>
public sealed record ProportionEstimate(int Successes, int Trials, double? Share, double? Low, double? High)
{
    public static ProportionEstimate Of(int successes, int trials, double confidence = 0.95)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(successes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(successes, trials);
        if (trials == 0)
        {
            return new ProportionEstimate(0, 0, null, null, null);
        }

        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));
        var p = (double)successes / trials;
        var z2n = z * z / trials;
        var centre = (p + (z2n / 2)) / (1 + z2n);
        var half = z * Math.Sqrt((p * (1 - p) / trials) + (z2n / (4 * trials))) / (1 + z2n);
        return new ProportionEstimate(successes, trials, p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
