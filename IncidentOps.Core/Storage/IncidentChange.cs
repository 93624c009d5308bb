using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;

namespace IncidentOps.Core.Storage;

/// <summary>
/// An index entry (alert dedup key or grouping key → incident id) the decision was made on:
/// the commit fails if it no longer holds <see cref="Expected"/> ("" for absent), and sets it to
/// <see cref="NewValue"/> when one is given.
/// </summary>
public sealed record IndexWrite(string Key, string Expected, string? NewValue);

/// <summary>
/// Everything one decision about an incident writes, committed atomically or not at all.
/// </summary>
/// <param name="Incident">The incident as it is after the change; its Version is <paramref name="ExpectedVersion"/> + 1.</param>
/// <param name="ExpectedVersion">The version the decision was made on; 0 for a new incident.</param>
public sealed record IncidentChange(
    Incident Incident,
    long ExpectedVersion,
    IReadOnlyList<IndexWrite> Indexes,
    IReadOnlyList<PendingEvent> Events,
    WorkItem? Work);

public sealed record CommitResult(bool Committed, IReadOnlyList<string> EventIds)
{
    public static readonly CommitResult Conflict = new(false, []);
}
