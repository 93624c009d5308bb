using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Core.Ingest;

/// <summary>What makes alerts one incident when they are not repeats of each other.</summary>
public enum GroupingMode
{
    /// <summary>The source's grouping key (Alertmanager groupKey), else the same service, component and alert name.</summary>
    Alert,

    /// <summary>Every alert of one service within the window, whatever tool sent it or what it is named.</summary>
    Service,
}

public sealed class CorrelationOptions
{
    public const string Section = "Correlation";

    public GroupingMode GroupBy { get; set; } = GroupingMode.Alert;

    /// <summary>
    /// Alerts without a source grouping key join an open incident with the same service and alert
    /// name only if it had an alert within this many minutes.
    /// </summary>
    [Range(0, 10_080)]
    public int GroupWindowMinutes { get; set; } = 10;

    /// <summary>Webhook deliveries are remembered this long, so a re-delivery changes nothing.</summary>
    [Range(1, 10_080)]
    public int DeliveryMemoryMinutes { get; set; } = 1440;

    /// <summary>A mitigated incident whose alerts stay quiet this long is resolved automatically; 0 turns this off.</summary>
    [Range(0, 10_080)]
    public int AutoResolveAfterMinutes { get; set; }
}
