using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Metrics.Figures;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Changes arriving faster than this are coalesced into one recompute and one <c>metrics.updated</c>.</summary>
    [Range(0, 60_000)]
    public int MinPublishIntervalMs { get; set; } = 250;
}
