using System.Text.Json;

namespace IncidentOps.Core.Ingest.Sources;

/// <summary>
/// The Prometheus Alertmanager webhook body (version "4"). Grafana's alerting webhook is the same shape
/// with extra fields (<c>orgId</c>, <c>title</c>, <c>state</c>, <c>message</c>, per-alert <c>values</c> and URLs).
/// Every field is nullable so a missing one reaches the validation, which names it.
/// </summary>
public sealed record AlertmanagerPayload
{
    public string? Version { get; init; }

    public string? GroupKey { get; init; }

    public int? TruncatedAlerts { get; init; }

    public string? Status { get; init; }

    public string? Receiver { get; init; }

    public Dictionary<string, string>? GroupLabels { get; init; }

    public Dictionary<string, string>? CommonLabels { get; init; }

    public Dictionary<string, string>? CommonAnnotations { get; init; }

    public string? ExternalURL { get; init; }

    public List<AlertmanagerAlert>? Alerts { get; init; }

    // Grafana's additions.
    public long? OrgId { get; init; }

    public string? Title { get; init; }

    public string? State { get; init; }

    public string? Message { get; init; }
}

public sealed record AlertmanagerAlert
{
    public string? Status { get; init; }

    public Dictionary<string, string>? Labels { get; init; }

    public Dictionary<string, string>? Annotations { get; init; }

    public string? StartsAt { get; init; }

    public string? EndsAt { get; init; }

    public string? GeneratorURL { get; init; }

    public string? Fingerprint { get; init; }

    // Grafana's additions.
    public JsonElement? Values { get; init; }

    public string? SilenceURL { get; init; }

    public string? DashboardURL { get; init; }

    public string? PanelURL { get; init; }

    public string? ImageURL { get; init; }
}
