using System.Globalization;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Ingest.Sources;

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
        var alerts = scenario.Alerts.SelectMany(a => Normalise(scenario, a, firstAt.AddSeconds(a.OffsetSeconds)))
            .Select(a => a with
            {
                Fingerprint = $"{drillId}:{a.Fingerprint}",
                GroupKey = $"{Label}:{drillId}",
                Labels = new Dictionary<string, string>(a.Labels) { [Label] = drillId },
                Drill = true,
            })
            .ToList();
        var changes = (scenario.Changes ?? []).Select((c, i) => new ChangeEvent(
            $"chg_{drillId}_{i}", c.Service, $"[drill {drillId}] {c.Summary}", $"{Label}/{c.Source}", c.Kind, firstAt.AddMinutes(-c.MinutesBeforeFirstAlert), null)).ToList();
        return (alerts, changes);
    }

    public static DrillScenarioCard Card(DrillScenario scenario)
    {
        var severities = scenario.Alerts.Select(a => a.Severity ?? a.Labels?.GetValueOrDefault("severity") ?? "error").ToList();
        var worst = severities.OrderBy(s => Array.IndexOf(["critical", "error", "warning", "info"], s.ToLowerInvariant()) is var i and >= 0 ? i : 1).First();
        var title = scenario.Alerts[0].Annotations?.GetValueOrDefault("summary") ?? scenario.Alerts[0].Summary ?? scenario.Id;
        return new DrillScenarioCard(scenario.Id, title, scenario.Description, scenario.Service, scenario.Expected.Category, scenario.Expected.Remediation,
            worst.ToLowerInvariant(), scenario.Alerts.Count, scenario.Changes?.Count ?? 0);
    }

    private static IEnumerable<IncomingAlert> Normalise(DrillScenario scenario, DrillAlert alert, DateTimeOffset at)
    {
        if (alert.Source == "alertmanager")
        {
            var labels = alert.Labels ?? [];
            var payload = new AlertmanagerPayload
            {
                Version = "4",
                GroupKey = $"{{}}:{{alertname=\"{labels.GetValueOrDefault("alertname")}\"}}",
                Status = "firing",
                Receiver = "incidentops",
                GroupLabels = new() { ["alertname"] = labels.GetValueOrDefault("alertname") ?? "unnamed" },
                CommonLabels = labels,
                CommonAnnotations = alert.Annotations ?? [],
                ExternalURL = "http://alertmanager:9093",
                Alerts =
                [
                    new AlertmanagerAlert
                    {
                        Status = "firing", Labels = labels, Annotations = alert.Annotations ?? [],
                        StartsAt = at.ToString("O", CultureInfo.InvariantCulture), EndsAt = "0001-01-01T00:00:00Z",
                        GeneratorURL = "http://prometheus:9090/graph", Fingerprint = $"{scenario.Id}-{labels.GetValueOrDefault("alertname")}-{alert.OffsetSeconds}",
                    },
                ],
            };
            var (alerts, errors) = AlertmanagerNormaliser.Normalise(payload, "alertmanager");
            return errors.Count == 0 ? alerts : throw new InvalidDataException($"{scenario.Id}: {errors[0].Field}: {errors[0].Message}");
        }

        var (evt, problems) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = Label,
            EventAction = "trigger",
            DedupKey = $"{scenario.Id}-{alert.OffsetSeconds}",
            Payload = new PagerDutyPayload
            {
                Summary = alert.Summary, Source = scenario.Service, Severity = alert.Severity ?? "error", Component = alert.Component,
                Group = alert.Group, Class = alert.Class, CustomDetails = alert.CustomDetails, Timestamp = at.ToString("O", CultureInfo.InvariantCulture),
            },
        });
        return problems.Count == 0 ? [AlertNormaliser.ToIncoming(evt!)] : throw new InvalidDataException($"{scenario.Id}: {problems[0].Field}: {problems[0].Message}");
    }
}
