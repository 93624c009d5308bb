using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Figures.Statistics;

namespace IncidentOps.Metrics.Figures;

/// <summary>Turns the incident facts into the published snapshot: all-time headline numbers and the 7-day business figures.</summary>
public sealed class MetricsCalculator(TimeProvider time, BusinessCalculator business)
{
    public MetricsSnapshot Compute(IEnumerable<IncidentFact> facts) => Compute(FactTable.From(facts));

    public MetricsSnapshot Compute(FactTable facts)
    {
        var resolvedMinutes = new List<double>();
        var open = 0;
        foreach (var fact in facts.Rows)
        {
            // Clock-skewed durations (resolved before detected) are left out here as in the business figures.
            if (DurationFigures.Minutes(fact.DetectedMs, fact.ResolvedMs) is { } minutes and >= 0)
            {
                resolvedMinutes.Add(minutes);
            }
            else if (fact.IsOpen)
            {
                open++;
            }
        }

        resolvedMinutes.Sort();
        var mttr = MeanEstimate.Of(resolvedMinutes);
        var week = business.Compute(facts, MetricsQuery.Week);
        return new MetricsSnapshot(
            facts.Rows.Count(f => f.IsResolved),
            open,
            new MttrFigure(mttr.SampleSize, Round(mttr.Mean), Round(mttr.Low), Round(mttr.High), MttrFigure.DefinitionText),
            time.GetUtcNow())
        {
            // Without the survival curve (three quarters of the size): this rides on every metrics.updated in ops:events.
            // GET /api/v1/metrics/business has the curve.
            Business = week with { TimeToResolve = week.TimeToResolve with { Curve = [] } },
        };
    }

    private static double? Round(double? minutes) => minutes is { } m ? Math.Round(m, 3) : null;
}
