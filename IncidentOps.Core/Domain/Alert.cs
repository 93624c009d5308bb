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
    JsonElement? Details);
