using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Everything one decision about an incident writes, committed atomically or not at all.
/// </summary>
/// <param name="Incident">The incident as it is after the change; its Version is <paramref name="ExpectedVersion"/> + 1.</param>
/// <param name="ExpectedVersion">The version the decision was made on; 0 for a new incident.</param>
/// <param name="DedupKey">The Redis key of the alert's dedup index entry.</param>
/// <param name="ExpectedDedupTarget">The incident id the dedup entry pointed to when read ("" for none).</param>
/// <param name="PointDedupHere">Whether the dedup entry should point to this incident afterwards.</param>
public sealed record IncidentChange(
    Incident Incident,
    long ExpectedVersion,
    string DedupKey,
    string ExpectedDedupTarget,
    bool PointDedupHere,
    IReadOnlyList<PendingEvent> Events,
    WorkItem? Work);

public sealed record CommitResult(bool Committed, IReadOnlyList<string> EventIds)
{
    public static readonly CommitResult Conflict = new(false, []);
}
