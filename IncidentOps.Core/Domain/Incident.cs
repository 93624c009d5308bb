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
    /// <summary>Open incidents take new alerts; resolved and closed ones never do (a new incident is opened and linked).</summary>
    public bool IsOpen => Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated;

    /// <summary>The grouping key alerts join this incident by (e.g. the Alertmanager groupKey).</summary>
    public string? GroupKey { get; init; }

    public DateTimeOffset? MitigatedAt { get; init; }

    public DateTimeOffset? ClosedAt { get; init; }

    /// <summary>When the incident's alert fired again after it was resolved, the incident it had been in.</summary>
    public string? PreviousIncidentId { get; init; }

    public string? Assignee { get; init; }

    /// <summary>When an alert last joined or changed; the grouping window counts from here.</summary>
    public DateTimeOffset? LastAlertAt { get; init; }

    /// <summary>A person set the severity: alerts no longer raise or lower it.</summary>
    public bool SeverityOverridden { get; init; }

    /// <summary>A drill (a scenario replayed on purpose): worked like any incident, left out of the business figures.</summary>
    public bool Drill { get; init; }

    public static string NewId(DateTimeOffset now) =>
        $"inc_{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000, 0xFFFF):x4}";
}
