namespace IncidentOps.Core.Domain;

/// <summary>
/// The root-cause categories and first remediations the diagnosis speaks (and a responder confirms on resolve): the
/// scenario corpus's vocabulary. The agents' rules name the same categories (a test holds them equal).
/// </summary>
public static class CauseVocabulary
{
    public static IReadOnlyList<string> Categories { get; } =
    [
        "bad_deploy", "config_error", "certificate_expiry", "disk_full", "memory_leak",
        "database_contention", "network_partition", "dependency_outage", "traffic_spike", "resource_exhaustion",
    ];

    public static IReadOnlyList<string> Remediations { get; } =
    [
        "rollback", "revert_config", "renew_certificate", "free_disk_space", "restart",
        "kill_blocking_queries", "reroute_traffic", "failover", "scale_out", "rate_limit",
    ];
}

/// <summary>What a responder confirmed when resolving an incident: the cause it really had and the fix that worked.</summary>
public sealed record ConfirmedCase(string IncidentId, string Category, string? Remediation, string Actor, DateTimeOffset At);
