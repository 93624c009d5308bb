using System.Globalization;
using IncidentOps.Core.Domain;
using IncidentOps.Figures.Statistics;
using Microsoft.Extensions.Options;

namespace IncidentOps.Figures;

/// <summary>Turns incident facts into the business figures of one window and filter. Pure: same facts and clock, same figures.</summary>
public sealed class BusinessCalculator(TimeProvider time, IOptions<CostOptions> cost)
{
    public const string TimeToResolveDefinition =
        "Kaplan–Meier estimate of time to resolve (minutes since detection) over incidents detected in the window: resolved incidents are " +
        "events, incidents still open are right-censored at their age now, so a week with many open incidents does not look fast. Median = first " +
        "time the curve reaches ½; its 95% interval (Brookmeyer–Crowley) is read off Greenwood pointwise bands on the log scale; null = not reached. " +
        "The curve is thinned to at most 200 steps for display.";

    public const string HandledDefinition = "Incidents detected in the window that are resolved or closed.";

    public const string PreventedDefinition =
        "Incidents detected in the window that the prediction agent flagged as prevention candidates (preventionCandidate = true: a " +
        "warning-level incident likely to escalate) and that were resolved before any critical alert joined them (no critical alert, " +
        "severity never critical).";

    public const string EfficiencyDefinition =
        "Share of resolved incidents resolved without escalation; escalation = the incident's severity or any of its alerts rose above " +
        "the severity of its first alert. 95% Wilson interval.";

    public const string SuccessDefinition =
        "Share of resolved incidents where a person approved a proposed remediation whose plan worked: the approved action ran and its " +
        "executor reported success, and the incident stayed resolved (no later incident was opened as its recurrence). 95% Wilson interval.";

    public const string QualityDefinition =
        "Complete = first alert, detection, acknowledgement and resolution times present and in order (open incidents: first alert and " +
        "detection). Clock-skewed = some time in an impossible order (e.g. resolved before detected): left out of the figures it breaks. " +
        "Confidence, from the number of resolution times the figures rest on (MTTR's sample size): high with ≥ 30, medium with ≥ 10, else low; one " +
        "level lower when more than a fifth of the incidents are clock-skewed. A missing acknowledgement lowers completeness but not " +
        "confidence: incidents resolved at the source are legitimately never acknowledged (MTTA's own sample size shows how many were).";

    private const int MaxCurvePoints = 200;

    public BusinessMetrics Compute(IEnumerable<IncidentFact> facts, MetricsQuery query) => Compute(FactTable.From(facts), query);

    public BusinessMetrics Compute(FactTable table, MetricsQuery query)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var fromMs = nowMs - (long)query.Length.TotalMilliseconds;
        var recurred = table.Recurred();
        var services = table.ServiceFilter(query.Service);

        List<double> ttr = [], tta = [], ttd = [], survivalTimes = [];
        List<bool> survivalObserved = [];
        var ttrBySeverity = new Dictionary<Severity, List<double>>();
        int cohort = 0, resolved = 0, open = 0, complete = 0, skewed = 0, rejectedTtr = 0, rejectedTta = 0, rejectedTtd = 0;
        int prevented = 0, withoutEscalation = 0, approved = 0, plansWorked = 0;
        foreach (var fact in table.RowArray)
        {
            if (fact.DetectedMs < fromMs || fact.DetectedMs >= nowMs || !query.Matches(fact, services))
            {
                continue;
            }

            cohort++;
            var resolve = DurationFigures.Minutes(fact.DetectedMs, fact.ResolvedMs);
            var ack = DurationFigures.Minutes(fact.DetectedMs, fact.AcknowledgedMs);
            var detect = DurationFigures.Minutes(fact.FirstAlertMs, fact.DetectedMs);
            Add(ttr, resolve, ref rejectedTtr);
            Add(tta, ack, ref rejectedTta);
            Add(ttd, detect, ref rejectedTtd);
            var isSkewed = resolve < 0 || ack < 0 || detect < 0;
            skewed += isSkewed ? 1 : 0;

            if (fact.IsResolved)
            {
                resolved++;
                complete += !isSkewed && ack is not null && detect is not null ? 1 : 0;
                withoutEscalation += fact.Escalated ? 0 : 1;
                prevented += fact is { PreventionCandidate: true, Severity: < Severity.Critical, MaxAlertSeverity: < Severity.Critical } ? 1 : 0;
                if (fact.RemediationApproved)
                {
                    approved++;
                    plansWorked += fact.RemediationSucceeded && !(fact.Slot < recurred.Length && recurred[fact.Slot]) ? 1 : 0;
                }

                if (resolve >= 0)
                {
                    survivalTimes.Add(resolve.Value);
                    survivalObserved.Add(true);
                    (ttrBySeverity.TryGetValue(fact.Severity, out var list) ? list : ttrBySeverity[fact.Severity] = []).Add(resolve.Value);
                }
            }
            else if (fact.IsOpen)
            {
                open++;
                complete += !isSkewed && detect is not null ? 1 : 0;
                survivalTimes.Add((nowMs - fact.DetectedMs) / 60_000.0);
                survivalObserved.Add(false);
            }
        }

        return new BusinessMetrics(
            new WindowInfo(query.Window, DateTimeOffset.FromUnixTimeMilliseconds(fromMs), now),
            query.Service,
            query.Severity,
            DurationFigures.Describe(DurationFigures.MttrDefinition, ttr, rejectedTtr),
            DurationFigures.Describe(DurationFigures.MttaDefinition, tta, rejectedTta),
            DurationFigures.Describe(DurationFigures.MttdDefinition, ttd, rejectedTtd),
            Survival(survivalTimes, survivalObserved),
            TrendCalculator.Compute(table, query, now),
            new CountFigure(HandledDefinition, resolved),
            new CountFigure(PreventedDefinition, prevented),
            CostCalculator.Compute(cost.Value, prevented, ttrBySeverity),
            Rate(EfficiencyDefinition, "resolved without escalation ÷ resolved", withoutEscalation, resolved),
            Rate(SuccessDefinition, "resolved with an approved remediation that succeeded and did not recur ÷ resolved with an approved remediation", plansWorked, approved),
            Quality(query, cohort, resolved, ttr.Count, open, complete, skewed),
            now);
    }

    private static void Add(List<double> into, double? minutes, ref int rejected)
    {
        if (minutes is not { } m)
        {
            return;
        }

        if (m < 0)
        {
            rejected++;
        }
        else
        {
            into.Add(m);
        }
    }

    private static SurvivalFigure Survival(List<double> times, List<bool> observed)
    {
        var km = KaplanMeier.Estimate(times.ToArray(), observed.ToArray());
        var curve = km.Curve;
        if (curve.Count > MaxCurvePoints)
        {
            // Evenly spaced steps plus the last one: the shape for a chart; the median above comes from the full curve.
            curve = [.. Enumerable.Range(0, MaxCurvePoints - 1).Select(i => curve[i * (curve.Count - 1) / (MaxCurvePoints - 1)]), curve[^1]];
        }

        var rounded = curve.Select(p => p with
        {
            Time = Math.Round(p.Time, 4),
            Survival = Math.Round(p.Survival, 6),
            StandardError = Round6(p.StandardError),
            Low = Round6(p.Low),
            High = Round6(p.High),
        }).ToList();
        return new SurvivalFigure(
            TimeToResolveDefinition, km.SampleSize, km.Events, km.Censored, DurationFigures.Round(km.Median),
            new Interval(DurationFigures.Round(km.MedianLow), DurationFigures.Round(km.MedianHigh)), rounded);
    }

    private static double? Round6(double? value) => value is { } v ? Math.Round(v, 6) : null;

    private static RateFigure Rate(string definition, string formula, int numerator, int denominator)
    {
        var estimate = ProportionEstimate.Of(numerator, denominator);
        return new RateFigure(
            definition, formula, numerator, denominator, DurationFigures.Round(estimate.Share),
            new Interval(DurationFigures.Round(estimate.Low), DurationFigures.Round(estimate.High)));
    }

    private static DataQualityFigure Quality(MetricsQuery query, int cohort, int resolved, int durations, int open, int complete, int skewed)
    {
        double? share = cohort == 0 ? null : Math.Round((double)complete / cohort, 4);
        string[] levels = ["low", "medium", "high"];
        var rank = durations >= 30 ? 2 : durations >= 10 ? 1 : 0;
        var level = levels[Math.Max(0, rank - (skewed * 5 > cohort ? 1 : 0))];
        var summary = string.Create(CultureInfo.InvariantCulture, $"{level}: {resolved:N0} resolved incident{(resolved == 1 ? string.Empty : "s")} {query.InWords}")
            + (cohort > resolved ? string.Create(CultureInfo.InvariantCulture, $", {cohort - resolved:N0} not resolved") : string.Empty)
            + (share is { } s && s < 0.8 ? string.Create(CultureInfo.InvariantCulture, $", {s:P0} with complete timestamps") : string.Empty)
            + (skewed > 0 ? string.Create(CultureInfo.InvariantCulture, $", {skewed:N0} left out for clock skew") : string.Empty);
        return new DataQualityFigure(cohort, resolved, open, complete, share, skewed, level, summary, QualityDefinition);
    }
}
