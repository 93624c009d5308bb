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

    private readonly int? _alertCount;
    private readonly int? _firingAlertCount;

    /// <summary>
    /// How many alerts the incident has. Stored in the document, because the alerts themselves live in their own hash
    /// (see <c>RedisKeys.IncidentAlerts</c>) and a copy read for one alert holds only that one in <see cref="Alerts"/>;
    /// unset (a copy built in memory, a document written before the counts), the alerts this copy holds.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int AlertCount
    {
        get => _alertCount ?? Alerts.Count;
        init => _alertCount = value;
    }

    /// <summary>How many of its alerts are firing (not resolved); unset, counted from the alerts this copy holds.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int FiringAlertCount
    {
        get => _firingAlertCount ?? Alerts.Count(a => a.Status != AlertStatus.Resolved);
        init => _firingAlertCount = value;
    }

    // The counts as stored: absent in a document written before them (null, so the getters above count the inline alerts).
    [System.Text.Json.Serialization.JsonPropertyName("alertCount")]
    public int? StoredAlertCount
    {
        get => _alertCount;
        init => _alertCount = value;
    }

    [System.Text.Json.Serialization.JsonPropertyName("firingAlertCount")]
    public int? StoredFiringAlertCount
    {
        get => _firingAlertCount;
        init => _firingAlertCount = value;
    }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HoldsAllAlerts => Alerts.Count == AlertCount;

    public static string NewId(DateTimeOffset now) =>
        $"inc_{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000, 0xFFFF):x4}";
}
