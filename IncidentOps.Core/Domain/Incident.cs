namespace IncidentOps.Core.Domain;

/// <summary>
/// The incident document stored in Redis. <see cref="Version"/> is the optimistic-concurrency
/// token: a write names the version it read, and loses (and retries) if another write came first.
/// </summary>
public sealed record Incident(
    string Id,
    string Title,
    IncidentStatus Status,
    Severity Severity,
    string Service,
    string DedupKey,
    DateTimeOffset OccurredAt,
    DateTimeOffset DetectedAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? ResolvedAt,
    IReadOnlyList<Alert> Alerts,
    long Version)
{
    public bool IsOpen => Status != IncidentStatus.Resolved;

    public static string NewId(DateTimeOffset now) =>
        $"inc_{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000, 0xFFFF):x4}";
}
