using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest;

/// <summary>
/// An alert as a source reported it, normalised to one shape whatever the source (Events v2,
/// Alertmanager, Grafana, CloudWatch). The correlator turns it into incident changes.
/// </summary>
/// <param name="Fingerprint">Stable identity of the alert at its source: repeats update the alert, not add one.</param>
/// <param name="GroupKey">The source's own grouping key (Alertmanager groupKey), if it has one.</param>
/// <param name="AlertName">What kind of alert this is (alertname label, alarm name, class), for the fallback grouping key.</param>
public sealed record IncomingAlert(
    string Source,
    string Fingerprint,
    AlertStatus Status,
    string Summary,
    Severity Severity,
    string Service,
    string? Component,
    string? AlertName,
    string? GroupKey,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string? SourceUrl,
    JsonElement? Details)
{
    public string? Group { get; init; }

    public string? Class { get; init; }

    /// <summary>Sent by a drill: the incident it opens is a drill (see <see cref="Incident.Drill"/>).</summary>
    public bool Drill { get; init; }

    /// <summary>Hash of what the source says about the alert (not when it said it): identical repeats have the same hash.</summary>
    public string ContentHash()
    {
        var text = string.Join('\u001f',
            Status, Summary, Severity, Service, Component, AlertName, Group, Class, StartsAt?.ToString("O"), EndsAt?.ToString("O"), SourceUrl,
            string.Join('\u001e', Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            string.Join('\u001e', Annotations.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")),
            Details?.GetRawText());
        return Hash(text)[..24];
    }

    /// <summary>The id the stored alert has: the same for every repeat of it from its source.</summary>
    public string AlertId => AlertIdOf(Source, Fingerprint);

    public static string AlertIdOf(string source, string fingerprint) => "al_" + Hash(source + '\u001f' + fingerprint)[..20];

    public Alert ToAlert(DateTimeOffset receivedAt, string groupingReason) => new(
        Id: AlertId,
        Source: Source,
        DedupKey: Fingerprint,
        ContentHash: ContentHash(),
        Status: Status,
        Summary: Summary,
        Severity: Severity,
        Service: Service,
        Component: Component,
        Group: Group,
        Class: Class ?? AlertName,
        OccurredAt: StartsAt ?? receivedAt,
        ReceivedAt: receivedAt,
        LastSeenAt: receivedAt,
        Occurrences: 1,
        Details: Details?.Clone())
    {
        Labels = Labels,
        Annotations = Annotations,
        EndsAt = Status == AlertStatus.Resolved ? EndsAt ?? receivedAt : null,
        SourceUrl = SourceUrl,
        GroupingReason = groupingReason,
    };

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
