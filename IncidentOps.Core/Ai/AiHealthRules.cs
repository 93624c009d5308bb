namespace IncidentOps.Core.Ai;

/// <summary>Health from recent figures: pure, so the thresholds can be tested without Redis.</summary>
public static class AiHealthRules
{
    public static (AiHealth Health, string Reason) Judge(AiUsageFigures window, long consecutiveFailures, AiHealthOptions options)
    {
        if (consecutiveFailures >= options.ConsecutiveFailuresDown)
        {
            return (AiHealth.Down, $"{consecutiveFailures} failures in a row");
        }

        if (window.Calls == 0)
        {
            return (AiHealth.Healthy, $"no calls in the last {options.WindowMinutes} min");
        }

        var rateTrusted = window.Calls >= options.MinCallsForRate;
        if (rateTrusted && window.ErrorRate >= options.DownErrorRate)
        {
            // Down means failing now: once the latest call succeeded, a bad window is recovery, not an outage.
            return consecutiveFailures == 0
                ? (AiHealth.Degraded, $"recovering: the last call succeeded, error rate {window.ErrorRate:P0} over {window.Calls} calls in the last {options.WindowMinutes} min")
                : (AiHealth.Down, $"error rate {window.ErrorRate:P0} over {window.Calls} calls in the last {options.WindowMinutes} min");
        }

        if (rateTrusted && window.ErrorRate >= options.DegradedErrorRate)
        {
            return (AiHealth.Degraded, $"error rate {window.ErrorRate:P0} over {window.Calls} calls in the last {options.WindowMinutes} min");
        }

        if (window.LatencyP95Ms > options.DegradedP95Ms)
        {
            return (AiHealth.Degraded, $"p95 latency {window.LatencyP95Ms:0} ms over {options.DegradedP95Ms:0} ms");
        }

        return (AiHealth.Healthy, $"{window.Calls} calls, error rate {window.ErrorRate:P0}, p95 {window.LatencyP95Ms:0} ms in the last {options.WindowMinutes} min");
    }

    public static AiHealth Worst(IEnumerable<AiHealth> healths) => healths.DefaultIfEmpty(AiHealth.Healthy).Max();
}
