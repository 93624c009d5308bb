using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest;

public enum IngestStatus
{
    /// <summary>A new incident was opened for the alert.</summary>
    Opened,

    /// <summary>The alert joined (or updated an alert of) an open incident.</summary>
    Attached,

    /// <summary>An identical repeat of an alert already stored: nothing changed.</summary>
    Duplicate,

    Acknowledged,
    Resolved,

    /// <summary>The action did not apply to the incident's current state (e.g. acknowledging a resolved incident).</summary>
    Ignored,

    /// <summary>No incident has ever had this dedup key.</summary>
    NotFound,
}

public sealed record IngestOutcome(IngestStatus Status, string? IncidentId, string DedupKey, IncidentStatus? IncidentStatus, string Message);
