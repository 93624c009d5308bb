using System.Security.Cryptography;
using System.Text;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest;

/// <summary>Turns a validated Events v2 trigger into the <see cref="Alert"/> IncidentOps keeps.</summary>
public static class AlertNormaliser
{
    public const string GenericSource = "events";

    /// <summary>
    /// The dedup key: the sender's <c>dedup_key</c> when given; otherwise a fingerprint of what
    /// identifies the problem (integration, source, component, class, summary), so a tool that
    /// re-sends the same alert without a key still lands on one alert.
    /// </summary>
    public static string DedupKeyFor(ValidEvent evt)
    {
        if (!string.IsNullOrWhiteSpace(evt.DedupKey))
        {
            return evt.DedupKey;
        }

        var p = evt.Payload ?? throw new ArgumentException("A trigger without dedup_key needs a payload.", nameof(evt));
        return "fp_" + Hash(string.Join('\u001f', evt.RoutingKey, p.Source, p.Component, p.Class, p.Summary))[..32];
    }

    public static Alert ToAlert(ValidEvent evt, DateTimeOffset receivedAt)
    {
        var p = evt.Payload ?? throw new ArgumentException("A trigger needs a payload.", nameof(evt));
        var dedupKey = DedupKeyFor(evt);
        var severity = evt.Severity ?? Severity.Error;
        var details = p.CustomDetails is { } d ? d.GetRawText() : string.Empty;
        var contentHash = Hash(string.Join('\u001f',
            p.Summary, severity, p.Source, p.Component, p.Group, p.Class, evt.Timestamp?.ToString("O"), details))[..24];

        return new Alert(
            Id: "al_" + Hash(GenericSource + '\u001f' + dedupKey)[..20],
            Source: GenericSource,
            DedupKey: dedupKey,
            ContentHash: contentHash,
            Status: AlertStatus.Firing,
            Summary: p.Summary!.Trim(),
            Severity: severity,
            Service: p.Source!.Trim(),
            Component: p.Component,
            Group: p.Group,
            Class: p.Class,
            OccurredAt: evt.Timestamp ?? receivedAt,
            ReceivedAt: receivedAt,
            LastSeenAt: receivedAt,
            Occurrences: 1,
            Details: p.CustomDetails?.Clone());
    }

    private static string Hash(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
