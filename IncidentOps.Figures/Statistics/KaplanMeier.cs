namespace IncidentOps.Figures.Statistics;

/// <summary>One step of a Kaplan–Meier curve: the estimate just after <see cref="Time"/>.</summary>
/// <param name="StandardError">Greenwood: S(t)·√Σ dᵢ/(nᵢ(nᵢ−dᵢ)).</param>
public sealed record SurvivalPoint(double Time, int AtRisk, int Events, int Censored, double Survival, double? StandardError, double? Low, double? High);

/// <summary>
/// The Kaplan–Meier estimate of a survival curve from right-censored durations, with Greenwood's variance and
/// 95% pointwise intervals on the log scale, S·exp(±z·√Σ dᵢ/(nᵢ(nᵢ−dᵢ))) (R survfit's default "log"), and the
/// median with the Brookmeyer–Crowley interval read off those bands: the lower limit is where the lower band first
/// reaches ½, the upper limit where the upper band does. A limit the data never reach is null ("not reached").
/// </summary>
public sealed record KaplanMeier(int SampleSize, int Events, int Censored, IReadOnlyList<SurvivalPoint> Curve, double? Median, double? MedianLow, double? MedianHigh)
{
    /// <param name="durations">Time to the event, or to censoring.</param>
    /// <param name="observed">True where the event happened at that time; false where the observation was censored then.</param>
    public static KaplanMeier Estimate(ReadOnlySpan<double> durations, ReadOnlySpan<bool> observed, double confidence = 0.95)
    {
        if (durations.Length != observed.Length)
        {
            throw new ArgumentException("One observed flag per duration.", nameof(observed));
        }

        var n = durations.Length;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        var keys = durations.ToArray();
        Array.Sort(keys, order);
        var z = MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, 1 - ((1 - confidence) / 2));

        var curve = new List<SurvivalPoint>();
        double survival = 1, greenwood = 0;
        int atRisk = n, totalEvents = 0;
        double? median = null, medianLow = null, medianHigh = null;
        for (var i = 0; i < n;)
        {
            // Events and censorings tied at one time: censored ones count as at risk at that time (the usual convention).
            var t = keys[i];
            int events = 0, censored = 0;
            for (; i < n && keys[i] == t; i++)
            {
                if (observed[order[i]])
                {
                    events++;
                }
                else
                {
                    censored++;
                }
            }

            if (events > 0)
            {
                survival *= 1 - ((double)events / atRisk);
                greenwood = atRisk == events ? double.PositiveInfinity : greenwood + ((double)events / (atRisk * (double)(atRisk - events)));
            }

            double? se = null, low = null, high = null;
            if (survival > 0 && !double.IsInfinity(greenwood))
            {
                se = survival * Math.Sqrt(greenwood);
                var spread = Math.Exp(z * Math.Sqrt(greenwood));
                low = survival / spread;
                high = Math.Min(1, survival * spread);
            }
            else if (survival == 0)
            {
                (se, low, high) = (0, 0, 0);
            }

            curve.Add(new SurvivalPoint(t, atRisk, events, censored, survival, se, low, high));
            if (events > 0)
            {
                median ??= survival <= 0.5 ? t : null;
                medianLow ??= low <= 0.5 ? t : null;
                medianHigh ??= high <= 0.5 ? t : null;
            }

            totalEvents += events;
            atRisk -= events + censored;
        }

        return new KaplanMeier(n, totalEvents, n - totalEvents, curve, median, medianLow, medianHigh);
    }
}
