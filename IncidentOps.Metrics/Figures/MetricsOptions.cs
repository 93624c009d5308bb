using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Metrics.Figures;

public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Changes arriving faster than this are coalesced into one recompute and one <c>metrics.updated</c>.</summary>
    [Range(0, 60_000)]
    public int MinPublishIntervalMs { get; set; } = 250;

    /// <summary>
    /// With no incident changes, figures are still recomputed this often: windows slide and open incidents age
    /// (their censored times grow), so yesterday's figures go stale without any event.
    /// </summary>
    [Range(1, 86_400)]
    public int RefreshIntervalSeconds { get; set; } = 60;
}
