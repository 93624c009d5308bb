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

    /// <summary>
    /// Events a worker read and never acknowledged (it was killed mid-batch) are claimed by a live worker once they have
    /// been idle this long; a live worker acknowledges each batch well within it.
    /// </summary>
    [Range(1, 3_600)]
    public int ClaimIdleSeconds { get; set; } = 30;
}
