using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;

namespace IncidentOps.Api.Model;

public sealed record IncidentList(IReadOnlyList<IncidentSummary> Items, string LastEventId, string? NextCursor);

public sealed record IncidentDetail(
    IncidentSummary Incident,
    string DedupKey,
    DateTimeOffset OccurredAt,
    IReadOnlyList<Alert> Alerts,
    IReadOnlyList<AgentRun> Agents,
    IReadOnlyList<OpsEvent> Timeline)
{
    /// <summary>The steps of the resolution plan as actions: awaiting approval, decided, run.</summary>
    public IReadOnlyList<ProposedAction> Actions { get; init; } = [];

    /// <summary>Documents attached to the incident, with their text once the agents read it.</summary>
    public IReadOnlyList<Attachment> Attachments { get; init; } = [];

    public static IncidentDetail From(Incident incident, IReadOnlyDictionary<AgentPhase, AgentRun> runs, IReadOnlyList<OpsEvent> timeline) => new(
        IncidentSummary.From(incident, runs),
        incident.DedupKey,
        incident.OccurredAt,
        incident.Alerts,
        [.. Enum.GetValues<AgentPhase>().Select(p => runs.TryGetValue(p, out var run) ? run : AgentRun.NotStarted(p))],
        timeline);
}
