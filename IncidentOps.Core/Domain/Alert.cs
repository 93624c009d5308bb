using System.Text.Json;

namespace IncidentOps.Core.Domain;

/// <summary>An alert as IncidentOps keeps it, whatever tool sent it.</summary>
/// <param name="DedupKey">Stable identity of the alert at its source: repeats with the same key update this alert.</param>
/// <param name="ContentHash">Hash of the normalised content; an identical repeat changes nothing.</param>
public sealed record Alert(
    string Id,
    string Source,
    string DedupKey,
    string ContentHash,
    AlertStatus Status,
    string Summary,
    Severity Severity,
    string Service,
    string? Component,
    string? Group,
    string? Class,
    DateTimeOffset OccurredAt,
    DateTimeOffset ReceivedAt,
    DateTimeOffset LastSeenAt,
    int Occurrences,
    JsonElement? Details)
{
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>When the source says the alert ended (resolved alerts).</summary>
    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>A link back to the source (Alertmanager generatorURL, Grafana panel, CloudWatch alarm).</summary>
    public string? SourceUrl { get; init; }

    /// <summary>Which grouping rule put this alert in its incident, and why, in words.</summary>
    public string? GroupingReason { get; init; }
}
