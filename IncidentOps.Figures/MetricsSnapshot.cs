namespace IncidentOps.Figures;

/// <summary>
/// The figures the metrics worker publishes (as <c>metrics.updated</c>) and the API serves: all-time headline numbers,
/// and <see cref="Business"/>, the business figures of the last 7 days over every service (without the survival curve,
/// which <c>GET /api/v1/metrics/business</c> serves).
/// </summary>
public sealed record MetricsSnapshot(
    int IncidentsHandled,
    int IncidentsOpen,
    MttrFigure Mttr,
    DateTimeOffset ComputedAt)
{
    public BusinessMetrics? Business { get; init; }
}

/// <summary>Mean time to resolve over resolved incidents, with a 95% Student-t interval.</summary>
public sealed record MttrFigure(
    int SampleSize,
    double? MeanMinutes,
    double? CiLowMinutes,
    double? CiHighMinutes,
    string Definition)
{
    public const string DefinitionText =
        "MTTR = mean of (resolvedAt − detectedAt) over resolved (and closed) incidents, all time, in minutes; 95% CI = mean ± t(0.975, n−1)·s/√n " +
        "(Student t, needs n ≥ 2). Open incidents are not in this figure: they are counted in incidentsOpen.";
}
