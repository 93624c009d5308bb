using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Ingest;

/// <summary>
/// Applies an incoming event to the incidents: opens a new incident, attaches to the open incident
/// with the same dedup key, or acknowledges / resolves it. Each decision is committed atomically with
/// its events and work item; when another writer got there first, the decision is made again on
/// the fresh state.
/// </summary>
public sealed class IncidentIngestor(IncidentStore store, TimeProvider time)
{
    private const int MaxAttempts = 20;

    public async Task<IngestOutcome> IngestAsync(ValidEvent evt, string? traceparent, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dedupKey = evt.Action == EventAction.Trigger ? AlertNormaliser.DedupKeyFor(evt) : evt.DedupKey!;
            var dedupRedisKey = RedisKeys.Dedup(AlertNormaliser.GenericSource, dedupKey);
            var currentId = await store.FindByDedupAsync(AlertNormaliser.GenericSource, dedupKey);
            var current = currentId is null ? null : await store.GetAsync(currentId);

            var (outcome, change) = Decide(evt, dedupKey, dedupRedisKey, currentId ?? string.Empty, current, time.GetUtcNow());
            if (change is null || (await store.CommitAsync(change, traceparent)).Committed)
            {
                return outcome;
            }
        }

        throw new InvalidOperationException($"Could not commit the event after {MaxAttempts} attempts: too much contention on one incident.");
    }

    private static (IngestOutcome, IncidentChange?) Decide(
        ValidEvent evt, string dedupKey, string dedupRedisKey, string currentId, Incident? current, DateTimeOffset now)
    {
        switch (evt.Action)
        {
            case EventAction.Trigger when current is { IsOpen: true }:
                return Attach(evt, dedupKey, dedupRedisKey, current, now);
            case EventAction.Trigger:
                return Open(evt, dedupKey, dedupRedisKey, currentId, current, now);
            case EventAction.Acknowledge or EventAction.Resolve when current is null:
                return (new(IngestStatus.NotFound, null, dedupKey, null, $"No incident has dedup_key '{dedupKey}'."), null);
            case EventAction.Acknowledge when current!.Status != IncidentStatus.Triggered:
                return (Ignored(current, dedupKey, "acknowledge"), null);
            case EventAction.Acknowledge:
            {
                var acknowledged = current with { Status = IncidentStatus.Acknowledged, AcknowledgedAt = now, Version = current.Version + 1 };
                return (new(IngestStatus.Acknowledged, current.Id, dedupKey, acknowledged.Status, "Incident acknowledged."),
                    Change(acknowledged, current, dedupRedisKey, currentId, EventTypes.IncidentAcknowledged, now));
            }

            case EventAction.Resolve when current!.Status == IncidentStatus.Resolved:
                return (Ignored(current, dedupKey, "resolve"), null);
            default:
            {
                var resolved = current! with
                {
                    Status = IncidentStatus.Resolved,
                    ResolvedAt = now,
                    Alerts = [.. current.Alerts.Select(a => a with { Status = AlertStatus.Resolved })],
                    Version = current.Version + 1,
                };
                return (new(IngestStatus.Resolved, current.Id, dedupKey, resolved.Status, "Incident resolved."),
                    Change(resolved, current, dedupRedisKey, currentId, EventTypes.IncidentResolved, now));
            }
        }
    }

    private static (IngestOutcome, IncidentChange?) Open(
        ValidEvent evt, string dedupKey, string dedupRedisKey, string currentId, Incident? previous, DateTimeOffset now)
    {
        var alert = AlertNormaliser.ToAlert(evt, now);
        var incident = new Incident(
            Incident.NewId(now), alert.Summary, IncidentStatus.Triggered, alert.Severity, alert.Service, dedupKey,
            alert.OccurredAt, now, null, null, [alert], 1);
        var summary = Summary(incident);
        var message = previous is null ? "New incident opened." : $"New incident opened; the previous one ({previous.Id}) is resolved.";
        return (new(IngestStatus.Opened, incident.Id, dedupKey, incident.Status, message),
            new IncidentChange(incident, 0, dedupRedisKey, currentId, PointDedupHere: true,
                [
                    new PendingEvent(EventTypes.AlertReceived, incident.Id, now, new AlertReceived(alert)),
                    new PendingEvent(EventTypes.IncidentOpened, incident.Id, now, new IncidentChanged(summary)),
                ],
                new WorkItem(incident.Id, "opened", now)));
    }

    private static (IngestOutcome, IncidentChange?) Attach(
        ValidEvent evt, string dedupKey, string dedupRedisKey, Incident current, DateTimeOffset now)
    {
        var incoming = AlertNormaliser.ToAlert(evt, now);
        var existing = current.Alerts.FirstOrDefault(a => a.Id == incoming.Id);
        if (existing is not null && existing.ContentHash == incoming.ContentHash)
        {
            return (new(IngestStatus.Duplicate, current.Id, dedupKey, current.Status, "Identical repeat of a stored alert: nothing changed."), null);
        }

        var merged = existing is null
            ? incoming
            : incoming with { OccurredAt = existing.OccurredAt, ReceivedAt = existing.ReceivedAt, Occurrences = existing.Occurrences + 1 };
        Alert[] alerts = [.. current.Alerts.Where(a => a.Id != incoming.Id), merged];
        var updated = current with
        {
            Alerts = alerts,
            Severity = alerts.Max(a => a.Severity),
            Version = current.Version + 1,
        };
        return (new(IngestStatus.Attached, current.Id, dedupKey, updated.Status, "Alert attached to the open incident."),
            new IncidentChange(updated, current.Version, dedupRedisKey, current.Id, PointDedupHere: false,
                [
                    new PendingEvent(existing is null ? EventTypes.AlertReceived : EventTypes.AlertUpdated, current.Id, now, new AlertReceived(merged)),
                    new PendingEvent(EventTypes.IncidentUpdated, current.Id, now, new IncidentChanged(Summary(updated))),
                ],
                Work: null));
    }

    private static IncidentChange Change(Incident updated, Incident current, string dedupRedisKey, string currentId, string eventType, DateTimeOffset now) =>
        new(updated, current.Version, dedupRedisKey, currentId, PointDedupHere: false,
            [new PendingEvent(eventType, updated.Id, now, new IncidentChanged(Summary(updated)))],
            Work: null);

    private static IncidentSummary Summary(Incident incident) => IncidentSummary.From(incident, runs: null);

    private static IngestOutcome Ignored(Incident current, string dedupKey, string action) =>
        new(IngestStatus.Ignored, current.Id, dedupKey, current.Status, $"Cannot {action} an incident that is {current.Status.ToString().ToLowerInvariant()}.");
}
