using IncidentOps.Core.Domain;
using IncidentOps.Figures;
using IncidentOps.Figures.Statistics;

namespace IncidentOps.Testing;

/// <summary>A generated incident and what the agents would have said of it.</summary>
public sealed record GeneratedIncident(Incident Incident, bool PreventionCandidate, bool PlanProposed)
{
    /// <summary>
    /// About 60% of plans get a remediation approved, 85% of those succeed. Drawn from a stable hash of the id rather than
    /// the generator's random stream, so histories generated before these flags existed stay the same.
    /// </summary>
    public IncidentFact Fact
    {
        get
        {
            var hash = System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(Incident.Id));
            var approved = PlanProposed && hash % 100 < 60;
            return IncidentFact.From(Incident, PreventionCandidate, PlanProposed) with
            {
                RemediationApproved = approved,
                RemediationSucceeded = approved && (hash / 100) % 100 < 85,
            };
        }
    }
}

/// <summary>
/// A realistic, reproducible incident history for the trend and scale tests, the bench and demos: detections with
/// weekly seasonality (weekends at half the weekday rate), a severity mix, log-normal times to detect, acknowledge and
/// resolve (median by severity), some warnings that escalate, and prevention candidates among the warnings.
/// </summary>
public sealed class IncidentHistoryGenerator(ulong seed = 1)
{
    /// <summary>Median time to resolve by severity (minutes); σ of log-time is <see cref="ResolveSigma"/>.</summary>
    public static readonly IReadOnlyDictionary<Severity, double> MedianMinutesToResolve = new Dictionary<Severity, double>
    {
        [Severity.Critical] = 35, [Severity.Error] = 50, [Severity.Warning] = 80, [Severity.Info] = 120,
    };

    public const double ResolveSigma = 0.9;

    private static readonly string[] Services = ["checkout", "payments", "search", "orders", "auth", "inventory"];

    private Xoshiro256StarStar _rng = new(seed);

    /// <param name="count">How many incidents.</param>
    /// <param name="end">Detections fall in [end − span, end).</param>
    /// <param name="openShare">The share left open (unresolved), taken from the most recent detections' chance of being open.</param>
    /// <param name="medianScale">Multiplies every median time to resolve (e.g. 0.7 for a faster period).</param>
    /// <param name="asOf">"Now" for the history: incidents that would resolve after it are still open (default: <paramref name="end"/>).</param>
    public IEnumerable<GeneratedIncident> Generate(
        int count, DateTimeOffset end, TimeSpan span, double openShare = 0, double medianScale = 1, DateTimeOffset? asOf = null)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Next(i, end, span, openShare, medianScale, asOf ?? end);
        }
    }

    private GeneratedIncident Next(int index, DateTimeOffset end, TimeSpan span, double openShare, double medianScale, DateTimeOffset asOf)
    {
        DateTimeOffset detected;
        do
        {
            detected = end - (span * _rng.NextDouble());
        }
        while (detected.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && _rng.NextDouble() < 0.5);

        var roll = _rng.NextDouble();
        var severity = roll < 0.10 ? Severity.Critical : roll < 0.40 ? Severity.Error : roll < 0.80 ? Severity.Warning : Severity.Info;
        var firstAlert = detected.AddMinutes(-LogNormal(1.5, 0.7));
        var resolveMinutes = LogNormal(MedianMinutesToResolve[severity] * medianScale, ResolveSigma);
        var ackMinutes = Math.Min(LogNormal(4, 0.8), resolveMinutes);
        var escalates = severity == Severity.Warning && _rng.NextDouble() < 0.15;
        var candidate = severity == Severity.Warning && _rng.NextDouble() < (escalates ? 0.6 : 0.3);
        var resolvedAt = detected.AddMinutes(resolveMinutes);
        var open = resolvedAt >= asOf || _rng.NextDouble() < openShare;
        var service = Services[_rng.NextBelow((uint)Services.Length)];
        var id = $"gen_{seed:x}_{index:x6}";

        List<Alert> alerts = [NewAlert(id, 0, service, severity, firstAlert)];
        if (escalates)
        {
            alerts.Add(NewAlert(id, 1, service, Severity.Critical, detected.AddMinutes(resolveMinutes / 3)));
        }

        var incident = new Incident(
            id, $"{service} {severity.ToString().ToLowerInvariant()} incident", IncidentStatus.Resolved, escalates ? Severity.Critical : severity,
            service, id, firstAlert, detected, detected.AddMinutes(ackMinutes), resolvedAt, alerts, 1)
        {
            MitigatedAt = resolvedAt,
        };
        if (open)
        {
            incident = incident with { Status = IncidentStatus.Acknowledged, ResolvedAt = null, MitigatedAt = null };
        }

        return new GeneratedIncident(incident, candidate, PlanProposed: _rng.NextDouble() < 0.9);
    }

    private static Alert NewAlert(string incidentId, int n, string service, Severity severity, DateTimeOffset at) => new(
        $"{incidentId}_a{n}", "generator", $"{incidentId}-{n}", $"{incidentId}-{n}", AlertStatus.Firing, $"{service} alert",
        severity, service, null, null, null, at, at, at, 1, null);

    /// <summary>Log-normal with the given median and σ of the log (Box–Muller on our seeded stream).</summary>
    private double LogNormal(double median, double sigma)
    {
        var u1 = 1 - _rng.NextDouble();
        var u2 = _rng.NextDouble();
        var z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        return median * Math.Exp(sigma * z);
    }
}
