using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Statistics;

namespace IncidentOps.Metrics.Figures;

/// <summary>Turns incident history into the published figures.</summary>
public sealed class MetricsCalculator(TimeProvider time)
{
    public MetricsSnapshot Compute(IEnumerable<Incident> incidents)
    {
        var resolvedMinutes = new List<double>();
        var open = 0;
        foreach (var incident in incidents)
        {
            if (incident is { Status: IncidentStatus.Resolved, ResolvedAt: { } resolvedAt })
            {
                resolvedMinutes.Add((resolvedAt - incident.DetectedAt).TotalMinutes);
            }
            else if (incident.IsOpen)
            {
                open++;
            }
        }

        var mttr = MeanEstimate.Of(resolvedMinutes);
        return new MetricsSnapshot(
            resolvedMinutes.Count,
            open,
            new MttrFigure(mttr.SampleSize, Round(mttr.Mean), Round(mttr.Low), Round(mttr.High), MttrFigure.DefinitionText),
            time.GetUtcNow());
    }

    private static double? Round(double? minutes) => minutes is { } m ? Math.Round(m, 3) : null;
}
