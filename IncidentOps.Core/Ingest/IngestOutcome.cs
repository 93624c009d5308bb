using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest;

public enum IngestStatus
{
    /// <summary>A new incident was opened for the alert.</summary>
    Opened,

    /// <summary>A new alert joined an open incident by its grouping key.</summary>
    Attached,

    /// <summary>An alert already in an open incident changed (new summary, severity, labels, fired again).</summary>
    Updated,

    /// <summary>An identical repeat of an alert already stored: nothing changed.</summary>
    Duplicate,

    /// <summary>The alert resolved at its source; the incident still has firing alerts.</summary>
    AlertResolved,

    /// <summary>The incident's last firing alert resolved at its source.</summary>
    Mitigated,

    Acknowledged,
    Resolved,

    /// <summary>The event did not apply (e.g. a resolve for an alert already resolved).</summary>
    Ignored,

    /// <summary>No incident has ever had this alert.</summary>
    NotFound,
}

public sealed record IngestOutcome(IngestStatus Status, string? IncidentId, string DedupKey, IncidentStatus? IncidentStatus, string Message);
