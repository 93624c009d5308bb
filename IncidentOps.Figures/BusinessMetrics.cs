using IncidentOps.Core.Domain;
using IncidentOps.Figures.Statistics;

namespace IncidentOps.Figures;

/// <summary>The business figures for one window and filter: each with its definition, sample size and interval.</summary>
public sealed record BusinessMetrics(
    WindowInfo Window,
    string? Service,
    Severity? Severity,
    DurationFigure Mttr,
    DurationFigure Mtta,
    DurationFigure Mttd,
    SurvivalFigure TimeToResolve,
    TrendFigure Trends,
    CountFigure IncidentsHandled,
    CountFigure IncidentsPrevented,
    CostSavingsFigure CostSavings,
    RateFigure Efficiency,
    RateFigure SuccessRate,
    DataQualityFigure DataQuality,
    DateTimeOffset ComputedAt);

/// <summary>Incidents detected in [From, To) are the cohort every figure is computed over.</summary>
public sealed record WindowInfo(string Name, DateTimeOffset From, DateTimeOffset To);

public sealed record Interval(double? Low, double? High);

/// <summary>A duration in minutes: mean with t and bootstrap intervals, median with its order-statistic interval, p90.</summary>
/// <param name="RejectedClockSkew">Incidents left out because their timestamps are in an impossible order (e.g. resolved before detected).</param>
public sealed record DurationFigure(
    string Definition,
    int SampleSize,
    int RejectedClockSkew,
    double? MeanMinutes,
    Interval TInterval,
    BootstrapFigure Bootstrap,
    double? MedianMinutes,
    MedianIntervalFigure MedianInterval,
    double? P90Minutes);

public sealed record BootstrapFigure(double? Low, double? High, int Resamples, ulong Seed, string Method);

/// <summary><see cref="Coverage"/> is the exact coverage of the order statistics chosen (at least 95%).</summary>
public sealed record MedianIntervalFigure(double? Low, double? High, double? Coverage);

/// <summary>Time to resolve with open incidents as right-censored observations (Kaplan–Meier).</summary>
public sealed record SurvivalFigure(
    string Definition,
    int SampleSize,
    int Resolved,
    int Censored,
    double? MedianMinutes,
    Interval MedianInterval,
    IReadOnlyList<SurvivalPoint> Curve);

public sealed record CountFigure(string Definition, int Count);

public sealed record RateFigure(string Definition, string Formula, int Numerator, int Denominator, double? Value, Interval Interval);

public sealed record DataQualityFigure(
    int SampleSize,
    int Resolved,
    int Open,
    int CompleteTimestamps,
    double? CompleteShare,
    int RejectedClockSkew,
    string Confidence,
    string Summary,
    string Definition);

public sealed record TrendFigure(string Definition, IReadOnlyList<TrendPoint> Daily, TrendChange Change);

/// <param name="Severity">Incidents detected that day by severity (critical, error, warning, info).</param>
public sealed record TrendPoint(DateOnly Day, int Incidents, int Resolved, double? MttrMinutes, IReadOnlyDictionary<string, int> Severity);

/// <summary>The last 7 days against the 7 before, with tests of whether the difference is more than noise.</summary>
public sealed record TrendChange(
    int Incidents,
    int PreviousIncidents,
    double? IncidentsChangePercent,
    double? IncidentsPValue,
    bool IncidentsDistinguishable,
    int Resolved,
    int PreviousResolved,
    double? MedianMttrMinutes,
    double? PreviousMedianMttrMinutes,
    double? MttrChangePercent,
    double? MttrPValue,
    bool MttrDistinguishable,
    IReadOnlyDictionary<string, double> SeverityShare,
    IReadOnlyDictionary<string, double> PreviousSeverityShare,
    string Summary);

/// <summary>Savings under the configured assumptions, which are returned beside them; "not configured" without them.</summary>
public sealed record CostSavingsFigure(
    string Status,
    string? Currency,
    SavingsLine Prevention,
    SavingsLine FasterResolution,
    double? Total,
    CostAssumptions Assumptions);

/// <param name="Missing">The configuration keys this line needs and does not have; the amount is null then.</param>
public sealed record SavingsLine(string Definition, double? Amount, string? Arithmetic, IReadOnlyList<string> Missing);

public sealed record CostAssumptions(
    IReadOnlyDictionary<string, double> CostPerMinute,
    double? ResponderHourlyCost,
    IReadOnlyDictionary<string, double> BaselineMttrMinutes);
