using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;

namespace IncidentOps.Core.Drills;

/// <summary>
/// A scenario turned into what monitoring would send, through the same normalisers as the webhooks, marked as a drill:
/// every alert carries the drill's id in its identity and group, so one drill is one incident that never joins a real one
/// (nor another drill of the same scenario). Timed so the last alert is now. Pure: no I/O.
/// </summary>
public static class DrillAlerts
{
    public const string Label = "drill";

    public static (IReadOnlyList<IncomingAlert> Alerts, IReadOnlyList<ChangeEvent> Changes) Of(DrillScenario scenario, string drillId, DateTimeOffset now)
    {
        var firstAt = now.AddSeconds(-scenario.Alerts.Max(a => a.OffsetSeconds));
        var alerts = scenario.Alerts.SelectMany(a => ScenarioSignals.Normalise(scenario.Id, scenario.Service, a, firstAt.AddSeconds(a.OffsetSeconds), Label))
            .Select(a => a with
            {
                Fingerprint = $"{drillId}:{a.Fingerprint}",
                GroupKey = GroupKeyOf(drillId),
                Labels = new Dictionary<string, string>(a.Labels) { [Label] = drillId },
                Drill = true,
            })
            .ToList();
        var changes = (scenario.Changes ?? []).Select((c, i) => new ChangeEvent(
            $"{ChangeIdPrefix(drillId)}{i}", c.Service, $"[drill {drillId}] {c.Summary}", $"{SourcePrefix}{c.Source}", c.Kind, firstAt.AddMinutes(-c.MinutesBeforeFirstAlert), null)).ToList();
        return (alerts, changes);
    }

    /// <summary>
    /// The changes an incident's diagnosis may weigh: a drill's changes are recorded under the real service (so the drill
    /// is diagnosed as the real thing would be), but only that drill sees them; a real incident never does.
    /// </summary>
    public static IReadOnlyList<ChangeEvent> VisibleTo(Incident incident, IReadOnlyList<ChangeEvent> changes)
    {
        var drillId = incident.Drill && incident.GroupKey is { } group && group.StartsWith(GroupKeyPrefix, StringComparison.Ordinal) ? group[GroupKeyPrefix.Length..] : null;
        return [.. changes.Where(c => drillId is null
            ? !c.Source.StartsWith(SourcePrefix, StringComparison.Ordinal)
            : c.Id.StartsWith(ChangeIdPrefix(drillId), StringComparison.Ordinal))];
    }

    // What Of writes and VisibleTo reads back: a drill's group key, its changes' ids and their source.
    private const string SourcePrefix = $"{Label}/";
    private const string GroupKeyPrefix = $"{Label}:";

    private static string GroupKeyOf(string drillId) => GroupKeyPrefix + drillId;

    private static string ChangeIdPrefix(string drillId) => $"chg_{drillId}_";

    public static DrillScenarioCard Card(DrillScenario scenario)
    {
        var severities = scenario.Alerts.Select(a => a.Severity ?? a.Labels?.GetValueOrDefault("severity") ?? "error").ToList();
        var worst = severities.OrderBy(s => Array.IndexOf(["critical", "error", "warning", "info"], s.ToLowerInvariant()) is var i and >= 0 ? i : 1).First();
        var title = scenario.Alerts[0].Annotations?.GetValueOrDefault("summary") ?? scenario.Alerts[0].Summary ?? scenario.Id;
        return new DrillScenarioCard(scenario.Id, title, scenario.Description, scenario.Service, scenario.Expected.Category, scenario.Expected.Remediation ?? "none",
            worst.ToLowerInvariant(), scenario.Alerts.Count, scenario.Changes?.Count ?? 0);
    }
}
