using IncidentOps.Figures.Statistics;

namespace IncidentOps.Figures;

/// <summary>The three lifecycle durations and how each is computed from the facts.</summary>
public static class DurationFigures
{
    public const string MttrDefinition =
        "MTTR: resolvedAt − detectedAt, minutes, over incidents detected in the window and resolved (or closed). " +
        "Mean with a 95% Student-t interval (mean ± t(0.975, n−1)·s/√n) and a 95% percentile bootstrap interval; median with a " +
        "distribution-free order-statistic interval; p90 by linear interpolation (type 7). Incidents still open are not in it: see timeToResolve.";

    public const string MttaDefinition =
        "MTTA: acknowledgedAt − detectedAt, minutes, over incidents detected in the window that were acknowledged. Same estimators as MTTR.";

    public const string MttdDefinition =
        "MTTD: detectedAt − the first alert's occurrence time (as the source reported it), minutes, over incidents detected in the window. " +
        "Same estimators as MTTR.";

    public const string BootstrapMethod =
        "percentile bootstrap of the mean: 10,000 resamples with replacement, 2.5th and 97.5th percentiles of their means; " +
        "resample b uses xoshiro256** seeded from (seed, b), so the interval reproduces exactly";

    /// <summary>Minutes from <paramref name="from"/> to <paramref name="to"/>, or null when a time is missing; negative means clock skew.</summary>
    public static double? Minutes(long? from, long? to) => from is { } f && to is { } t ? (t - f) / 60_000.0 : null;

    public static DurationFigure Describe(string definition, List<double> minutes, int rejected, int resamples = BootstrapInterval.DefaultResamples)
    {
        var sorted = minutes.ToArray();
        Array.Sort(sorted);
        var mean = MeanEstimate.Of(sorted);
        var bootstrap = BootstrapInterval.OfMean(sorted, resamples);
        var median = MedianEstimate.Of(sorted);
        return new DurationFigure(
            definition,
            sorted.Length,
            rejected,
            Round(mean.Mean),
            new Interval(Round(mean.Low), Round(mean.High)),
            new BootstrapFigure(Round(bootstrap.Low), Round(bootstrap.High), bootstrap.Resamples, bootstrap.Seed, BootstrapMethod),
            Round(median.Median),
            new MedianIntervalFigure(Round(median.Low), Round(median.High), Round(median.Coverage)),
            Round(Quantiles.Of(sorted, 0.9)));
    }

    /// <summary>Figures are published to 4 decimals: enough for minutes, and stable across the two computation paths.</summary>
    public static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
