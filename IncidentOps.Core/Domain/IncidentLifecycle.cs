namespace IncidentOps.Core.Domain;

public enum IncidentAction
{
    Acknowledge,
    Mitigate,
    Resolve,
    Close,
    Reopen,
}

/// <summary>
/// The legal moves of an incident. Each move stamps its time; reopening goes back to triggered and
/// keeps the earlier timestamps' history in the timeline (the incident's own fields are reset).
/// </summary>
public static class IncidentLifecycle
{
    public static bool CanApply(IncidentStatus from, IncidentAction action) => (action, from) switch
    {
        (IncidentAction.Acknowledge, IncidentStatus.Triggered) => true,
        (IncidentAction.Mitigate, IncidentStatus.Triggered or IncidentStatus.Acknowledged) => true,
        (IncidentAction.Resolve, IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated) => true,
        (IncidentAction.Close, IncidentStatus.Resolved) => true,
        (IncidentAction.Reopen, IncidentStatus.Mitigated or IncidentStatus.Resolved or IncidentStatus.Closed) => true,
        _ => false,
    };

    /// <summary>The incident after <paramref name="action"/>; throws <see cref="IllegalTransitionException"/> when not allowed.</summary>
    public static Incident Apply(Incident incident, IncidentAction action, DateTimeOffset now)
    {
        if (!CanApply(incident.Status, action))
        {
            throw new IllegalTransitionException(incident.Status, action);
        }

        var moved = action switch
        {
            IncidentAction.Acknowledge => incident with { Status = IncidentStatus.Acknowledged, AcknowledgedAt = now },
            IncidentAction.Mitigate => incident with { Status = IncidentStatus.Mitigated, MitigatedAt = now, AcknowledgedAt = incident.AcknowledgedAt ?? now },
            IncidentAction.Resolve => incident with
            {
                Status = IncidentStatus.Resolved,
                ResolvedAt = now,
                MitigatedAt = incident.MitigatedAt ?? now,
                Alerts = [.. incident.Alerts.Select(a => a.Status == AlertStatus.Firing ? a with { Status = AlertStatus.Resolved, EndsAt = a.EndsAt ?? now } : a)],
                FiringAlertCount = 0,
            },
            IncidentAction.Close => incident with { Status = IncidentStatus.Closed, ClosedAt = now },
            _ => incident with { Status = IncidentStatus.Triggered, MitigatedAt = null, ResolvedAt = null, ClosedAt = null },
        };
        return moved with { Version = incident.Version + 1 };
    }
}

public sealed class IllegalTransitionException(IncidentStatus current, IncidentAction action)
    : InvalidOperationException($"Cannot {action.ToString().ToLowerInvariant()} an incident that is {current.ToString().ToLowerInvariant()}.")
{
    public IncidentStatus Current { get; } = current;

    public IncidentAction Action { get; } = action;
}
