using System.Globalization;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Ingest.Sources;

namespace IncidentOps.Core.Drills;

/// <summary>
/// One alert of a scenario as monitoring would send it, through the same normalisers as the webhooks (Alertmanager or
/// Events v2). Used by drills and by the scenario replay that measures the diagnosis, so both see the same alerts. Pure.
/// </summary>
public static class ScenarioSignals
{
    public static IEnumerable<IncomingAlert> Normalise(string scenarioId, string service, DrillAlert alert, DateTimeOffset at, string routingKey)
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
                        GeneratorURL = "http://prometheus:9090/graph", Fingerprint = $"{scenarioId}-{labels.GetValueOrDefault("alertname")}-{alert.OffsetSeconds}",
                    },
                ],
            };
            var (alerts, errors) = AlertmanagerNormaliser.Normalise(payload, "alertmanager");
            return errors.Count == 0 ? alerts : throw new InvalidDataException($"{scenarioId}: {errors[0].Field}: {errors[0].Message}");
        }

        var (evt, problems) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = routingKey,
            EventAction = "trigger",
            DedupKey = $"{scenarioId}-{alert.OffsetSeconds}",
            Payload = new PagerDutyPayload
            {
                Summary = alert.Summary, Source = service, Severity = alert.Severity ?? "error", Component = alert.Component,
                Group = alert.Group, Class = alert.Class, CustomDetails = alert.CustomDetails, Timestamp = at.ToString("O", CultureInfo.InvariantCulture),
            },
        });
        return problems.Count == 0 ? [AlertNormaliser.ToIncoming(evt!)] : throw new InvalidDataException($"{scenarioId}: {problems[0].Field}: {problems[0].Message}");
    }
}
