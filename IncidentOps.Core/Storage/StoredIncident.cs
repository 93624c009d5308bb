using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// How an incident is laid out in Redis: the document (with its alert counts, without its alerts) in
/// <see cref="RedisKeys.Incident"/>, each alert a field of <see cref="RedisKeys.IncidentAlerts"/>. A document written
/// before that layout holds its alerts inline; it is read as it is and moves its alerts out on its next write.
/// </summary>
internal static class StoredIncident
{
    public static string Document(Incident incident) =>
        OpsJson.Serialize(incident with { Alerts = [], AlertCount = incident.AlertCount, FiringAlertCount = incident.FiringAlertCount });

    /// <summary>The document alone: the incident with its alert counts and no alerts (but those an older document holds inline).</summary>
    public static Incident? Header(RedisValue doc) => doc.IsNullOrEmpty ? null : OpsJson.Deserialize<Incident>(doc.ToString());

    /// <summary>The incident with all its alerts (inline ones of an older document, overridden by the hash's), oldest first.</summary>
    public static Incident? Whole(RedisValue doc, HashEntry[] alerts)
    {
        if (doc.IsNullOrEmpty)
        {
            return null;
        }

        var incident = OpsJson.Deserialize<Incident>(doc.ToString());
        var byId = new Dictionary<string, Alert>(incident.Alerts.Count + alerts.Length, StringComparer.Ordinal);
        foreach (var inline in incident.Alerts)
        {
            byId[inline.Id] = inline;
        }

        foreach (var entry in alerts)
        {
            byId[entry.Name.ToString()] = OpsJson.Deserialize<Alert>(entry.Value.ToString());
        }

        var all = byId.Values.OrderBy(a => a.ReceivedAt).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
        return incident with { Alerts = all, AlertCount = all.Count, FiringAlertCount = all.Count(a => a.Status != AlertStatus.Resolved) };
    }
}

/// <summary>What an ingest decision about one alert reads: the index entries and the incidents they point to.</summary>
/// <param name="Known">The incident the alert's dedup entry points to, holding only that alert (if it has it).</param>
/// <param name="Group">The incident the alert's grouping key points to, holding no alert but the counts.</param>
public sealed record AlertContext(string? KnownId, Incident? Known, string? GroupId, Incident? Group);
