using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Ingest;

/// <summary>The pure part of correlation: given what is stored, what changes. No I/O.</summary>
internal sealed class AlertDecisions(IncomingAlert alert, DateTimeOffset now)
{
    public Decision Open(string dedupKey, string knownId, string groupIndex, string groupId, string groupKey, Incident? previous)
    {
        var stored = alert.ToAlert(now, previous is null ? "first alert of a new incident" : $"fired again after incident {previous.Id} was resolved: new incident");
        var incident = new Incident(
            Incident.NewId(now), alert.Summary, IncidentStatus.Triggered, alert.Severity, alert.Service, alert.Fingerprint,
            stored.OccurredAt, now, null, null, [stored], 1)
        {
            AlertCount = 1,
            FiringAlertCount = stored.Status == AlertStatus.Resolved ? 0 : 1,
            GroupKey = groupKey,
            PreviousIncidentId = previous?.Id,
            LastAlertAt = now,
            Drill = alert.Drill,
        };
        return new(
            Outcome(IngestStatus.Opened, incident, previous is null ? "New incident opened." : $"New incident opened; {previous.Id} is {Word(previous.Status)}."),
            new IncidentChange(incident, 0,
                [new IndexWrite(dedupKey, knownId, incident.Id), new IndexWrite(groupIndex, groupId, incident.Id)],
                [Event(EventTypes.AlertReceived, incident, new AlertReceived(stored)), Event(EventTypes.IncidentOpened, incident, Changed(incident))],
                new WorkItem(incident.Id, "opened", now)));
    }

    public Decision Join(string dedupKey, string knownId, string groupIndex, Incident group, string reason)
    {
        var stored = alert.ToAlert(now, reason);
        var updated = WithAlerts(group, [.. group.Alerts, stored]) with
        {
            AlertCount = group.AlertCount + 1,
            FiringAlertCount = group.FiringAlertCount + (stored.Status == AlertStatus.Resolved ? 0 : 1),
        };
        return new(
            Outcome(IngestStatus.Attached, updated, $"Alert joined incident {group.Id}: {reason}."),
            new IncidentChange(updated, group.Version,
                [new IndexWrite(dedupKey, knownId, group.Id), new IndexWrite(groupIndex, group.Id, null)],
                [Event(EventTypes.AlertReceived, updated, new AlertReceived(stored)), Event(EventTypes.IncidentUpdated, updated, Changed(updated))],
                new WorkItem(group.Id, "alert_joined", now)));
    }

    public Decision Update(string dedupKey, Incident incident)
    {
        var existing = incident.Alerts.First(a => a.DedupKey == alert.Fingerprint && a.Source == alert.Source);
        // An identical repeat of a firing alert changes nothing; the same alert firing after it resolved is news.
        if (existing.ContentHash == alert.ContentHash() && existing.Status != AlertStatus.Resolved)
        {
            return new(Outcome(IngestStatus.Duplicate, incident, "Identical repeat of a stored alert: nothing changed."), null);
        }

        var refired = existing.Status == AlertStatus.Resolved;
        var stored = alert.ToAlert(now, existing.GroupingReason ?? "same alert") with
        {
            OccurredAt = refired ? alert.StartsAt ?? now : existing.OccurredAt,
            ReceivedAt = existing.ReceivedAt,
            Occurrences = existing.Occurrences + 1,
        };
        var updated = WithAlerts(incident, [.. incident.Alerts.Select(a => a.Id == existing.Id ? stored : a)]) with
        {
            AlertCount = incident.AlertCount,
            FiringAlertCount = incident.FiringAlertCount + (refired ? 1 : 0),
        };
        if (refired && updated.Status == IncidentStatus.Mitigated)
        {
            // Mitigation did not hold: the incident is live again.
            updated = updated with { Status = IncidentStatus.Triggered, MitigatedAt = null };
        }

        return new(
            Outcome(IngestStatus.Updated, updated, refired ? "Alert fired again." : "Alert updated."),
            new IncidentChange(updated, incident.Version, [new IndexWrite(dedupKey, incident.Id, null)],
                [Event(EventTypes.AlertUpdated, updated, new AlertReceived(stored)), Event(EventTypes.IncidentUpdated, updated, Changed(updated))],
                // The agents re-run only the phases whose inputs this changed (see PhaseInputs).
                new WorkItem(incident.Id, refired ? "alert_fired_again" : "alert_changed", now)));
    }

    public Decision Resolve(string dedupKey, Incident? incident, bool resolveIncidentWhenAllResolved)
    {
        var existing = incident?.Alerts.FirstOrDefault(a => a.DedupKey == alert.Fingerprint && a.Source == alert.Source);
        if (incident is null || existing is null)
        {
            return new(new(IngestStatus.NotFound, null, alert.Fingerprint, null, $"No incident has alert '{alert.Fingerprint}'."), null);
        }

        if (existing.Status == AlertStatus.Resolved || !incident.IsOpen)
        {
            return new(Outcome(IngestStatus.Ignored, incident, "The alert is already resolved: nothing changed."), null);
        }

        var resolvedAlert = existing with { Status = AlertStatus.Resolved, EndsAt = alert.EndsAt ?? now, LastSeenAt = now };
        var updated = incident with
        {
            Alerts = [.. incident.Alerts.Select(a => a.Id == existing.Id ? resolvedAlert : a)],
            Version = incident.Version + 1,
            AlertCount = incident.AlertCount,
            FiringAlertCount = incident.FiringAlertCount - 1,
        };
        var allResolved = updated.FiringAlertCount == 0;
        var (status, type, message) = (allResolved, resolveIncidentWhenAllResolved) switch
        {
            (true, true) => (IngestStatus.Resolved, EventTypes.IncidentResolved, "Last alert resolved: incident resolved."),
            (true, false) when updated.Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged =>
                (IngestStatus.Mitigated, EventTypes.IncidentMitigated, "All alerts resolved at their source: incident mitigated."),
            _ => (IngestStatus.AlertResolved, EventTypes.IncidentUpdated, "Alert resolved; the incident has other firing alerts."),
        };
        updated = status switch
        {
            IngestStatus.Resolved => IncidentLifecycle.Apply(updated, IncidentAction.Resolve, now) with { Version = updated.Version },
            IngestStatus.Mitigated => IncidentLifecycle.Apply(updated, IncidentAction.Mitigate, now) with { Version = updated.Version },
            _ => updated,
        };
        var reason = status == IngestStatus.AlertResolved ? null : $"all alerts resolved at {alert.Source}";
        return new(
            Outcome(status, updated, message),
            new IncidentChange(updated, incident.Version, [new IndexWrite(dedupKey, incident.Id, null)],
                [Event(EventTypes.AlertResolved, updated, new AlertReceived(resolvedAlert)), Event(type, updated, Changed(updated, reason))],
                Work: null));
    }

    /// <summary>
    /// The update may lower the incident's severity: the stored alert is at the incident's severity and the update lowers it.
    /// Then the decision needs every alert of the incident (a copy read for one alert cannot tell whether another holds it).
    /// </summary>
    public static bool MayLowerSeverity(Incident incident, IncomingAlert alert) =>
        !incident.SeverityOverridden && alert.Severity < incident.Severity
        && incident.Alerts.Any(a => a.Source == alert.Source && a.DedupKey == alert.Fingerprint && a.Severity >= incident.Severity);

    private Incident WithAlerts(Incident incident, IReadOnlyList<Alert> alerts) => incident with
    {
        Alerts = alerts,
        // The highest severity of its alerts: over all of them when this copy holds all, else the stored one and the new.
        Severity = incident.SeverityOverridden ? incident.Severity
            : incident.HoldsAllAlerts ? alerts.Max(a => a.Severity)
            : (Severity)Math.Max((int)incident.Severity, (int)alerts.Max(a => a.Severity)),
        LastAlertAt = now,
        Version = incident.Version + 1,
    };

    private IngestOutcome Outcome(IngestStatus status, Incident incident, string message) =>
        new(status, incident.Id, alert.Fingerprint, incident.Status, message);

    private PendingEvent Event(string type, Incident incident, object data) => new(type, incident.Id, now, data);

    // The actor of an ingest change is the source's name (alertmanager, grafana, cloudwatch, events), never a credential.
    private IncidentChanged Changed(Incident incident, string? reason = null) =>
        new(IncidentSummary.From(incident, runs: null)) { Actor = reason is null ? null : alert.Source, Reason = reason };

    private static string Word(IncidentStatus status) => status.ToString().ToLowerInvariant();
}
