namespace IncidentOps.Core.Events;

/// <summary>The figures the metrics worker publishes (as <c>metrics.updated</c>) and the API serves.</summary>
public sealed record MetricsSnapshot(
    int IncidentsHandled,
    int IncidentsOpen,
    MttrFigure Mttr,
    DateTimeOffset ComputedAt);

/// <summary>Mean time to resolve over resolved incidents, with a 95% Student-t interval.</summary>
public sealed record MttrFigure(
    int SampleSize,
    double? MeanMinutes,
    double? CiLowMinutes,
    double? CiHighMinutes,
    string Definition)
{
    public const string DefinitionText =
        "MTTR = mean of (resolvedAt − detectedAt) over resolved incidents, in minutes; 95% CI = mean ± t(0.975, n−1)·s/√n " +
        "(Student t, needs n ≥ 2). Open incidents are not in this figure: they are counted in incidentsOpen.";
}
