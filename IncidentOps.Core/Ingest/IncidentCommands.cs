using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Ingest;

public enum CommandStatus
{
    Done,
    NotFound,
    Conflict,
}

/// <summary>The result of a person's command; on Conflict, <see cref="Message"/> names the current state.</summary>
public sealed record CommandResult(CommandStatus Status, Incident? Incident, string Message);

/// <summary>What responders do to an incident: move it through its lifecycle, set severity, assign, add notes.
/// Every change records who and why, and is an event on <c>ops:events</c>.</summary>
public sealed class IncidentCommands(IncidentStore store, TimeProvider time)
{
    private const int MaxAttempts = 20;

    public Task<CommandResult> ApplyAsync(string id, IncidentAction action, string actor, string? reason, string? traceparent) =>
        ChangeAsync(id, traceparent, incident =>
        {
            if (!IncidentLifecycle.CanApply(incident.Status, action))
            {
                return (null, null, new IllegalTransitionException(incident.Status, action).Message);
            }

            var type = action switch
            {
                IncidentAction.Acknowledge => EventTypes.IncidentAcknowledged,
                IncidentAction.Mitigate => EventTypes.IncidentMitigated,
                IncidentAction.Resolve => EventTypes.IncidentResolved,
                IncidentAction.Close => EventTypes.IncidentClosed,
                _ => EventTypes.IncidentReopened,
            };
            return (IncidentLifecycle.Apply(incident, action, time.GetUtcNow()), type, null);
        }, actor, reason, note: null);

    public Task<CommandResult> SetSeverityAsync(string id, Severity severity, string actor, string? reason, string? traceparent) =>
        ChangeAsync(id, traceparent, incident =>
            (incident with { Severity = severity, SeverityOverridden = true, Version = incident.Version + 1 }, EventTypes.IncidentSeverityChanged, null),
            actor, reason, note: null);

    public Task<CommandResult> AssignAsync(string id, string assignee, string actor, string? traceparent) =>
        ChangeAsync(id, traceparent, incident =>
            (incident with { Assignee = assignee, Version = incident.Version + 1 }, EventTypes.IncidentAssigned, null),
            actor, reason: null, note: null);

    public Task<CommandResult> AddNoteAsync(string id, string note, string actor, string? traceparent) =>
        ChangeAsync(id, traceparent, incident => (incident with { Version = incident.Version + 1 }, EventTypes.IncidentNoteAdded, null),
            actor, reason: null, note);

    private async Task<CommandResult> ChangeAsync(
        string id, string? traceparent, Func<Incident, (Incident? Updated, string? EventType, string? Refusal)> decide,
        string actor, string? reason, string? note)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var incident = await store.GetAsync(id);
            if (incident is null)
            {
                return new(CommandStatus.NotFound, null, $"No incident '{id}'.");
            }

            var (updated, type, refusal) = decide(incident);
            if (updated is null)
            {
                return new(CommandStatus.Conflict, incident, refusal!);
            }

            var data = new IncidentChanged(IncidentSummary.From(updated, runs: null)) { Actor = actor, Reason = reason, Note = note };
            // The alerts are written only when the command changed them (a resolve resolves them all), not for every note.
            var written = ReferenceEquals(updated.Alerts, incident.Alerts) ? updated with { Alerts = [] } : updated;
            var change = new IncidentChange(written, incident.Version, [], [new PendingEvent(type!, id, time.GetUtcNow(), data)], Work: null);
            if ((await store.CommitAsync(change, traceparent)).Committed)
            {
                return new(CommandStatus.Done, updated, "Done.");
            }
        }

        throw new InvalidOperationException($"Could not change incident {id} after {MaxAttempts} attempts: too much contention.");
    }
}
