using System.Text.Json;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;

namespace IncidentOps.Agents.Phases.Detection;

/// <summary>
/// Classifies the incident, measures what it touches (services, components, instances, zones from the
/// alerts' labels), scores its urgency (severity, alert count and rate, the tone of what people wrote),
/// and links the other open incidents that look related.
/// </summary>
public sealed class DetectionAgent(IncidentAi ai, IncidentStore store, TimeProvider time) : IAgent
{
    private static readonly string[] InstanceLabels = ["instance", "pod", "node", "host", "container"];
    private static readonly string[] ZoneLabels = ["zone", "availability_zone", "topology_kubernetes_io_zone", "region", "az"];
    private static readonly string[] ComponentLabels = ["component", "job", "app", "deployment", "namespace"];
    private static readonly TimeSpan RelatedWindow = TimeSpan.FromHours(2);

    public AgentPhase Phase => AgentPhase.Detection;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        await reportProgress(20, "Classifying alerts");
        var matches = IncidentCategories.Match(IncidentCategories.TextOf(incident));
        var category = matches.Count > 0 ? matches[0].Rule.Category : IncidentCategories.Unknown;

        await reportProgress(40, "Measuring blast radius");
        var services = Distinct(incident.Alerts.Select(a => a.Service).Concat(LabelValues(incident, "service")));
        var components = Distinct(incident.Alerts.Select(a => a.Component).Concat(ComponentLabels.SelectMany(l => LabelValues(incident, l))));
        var instances = Distinct(InstanceLabels.SelectMany(l => LabelValues(incident, l)));
        var zones = Distinct(ZoneLabels.SelectMany(l => LabelValues(incident, l)));

        await reportProgress(60, "Reading what people wrote");
        var notes = await NotesAsync(incident.Id);
        var sentiment = notes.Count == 0 ? null : await ai.SentimentAsync(string.Join('\n', notes), new IncidentAiContext(incident, Phase), cancellationToken);

        await reportProgress(75, "Scoring urgency");
        var now = time.GetUtcNow();
        var alertsPerMinute = Rate(incident, now);
        var urgency = Urgency(incident, services.Count, alertsPerMinute, sentiment);

        await reportProgress(90, "Linking related incidents");
        var related = await RelatedAsync(incident, category, components, now);
        return new DetectionResult(
            category, services, components, services.Count + components.Count + instances.Count, urgency, incident.Severity,
            $"{category.Replace('_', ' ')} on {string.Join(", ", services)} ({incident.Alerts.Count} alert(s), {incident.Severity.ToString().ToLowerInvariant()})")
        {
            Instances = instances,
            Zones = zones,
            AlertsPerMinute = alertsPerMinute,
            HumanSentiment = sentiment is null ? null : new HumanSentiment(sentiment.Label.ToString().ToLowerInvariant(), sentiment.Score, sentiment.Urgency, notes.Count),
            RelatedOpenIncidents = related,
        };
    }

    /// <summary>Severity sets the base; more alerts, a faster rate, more services and alarmed people raise it; capped at 1.</summary>
    public static double Urgency(Incident incident, int services, double alertsPerMinute, SentimentScore? sentiment)
    {
        var severityBase = incident.Severity switch
        {
            Severity.Critical => 0.8,
            Severity.Error => 0.6,
            Severity.Warning => 0.35,
            _ => 0.15,
        };
        var occurrences = incident.Alerts.Sum(a => a.Occurrences);
        var score = severityBase
            + (0.03 * Math.Min(10, occurrences - 1))
            + (0.05 * Math.Max(0, services - 1))
            + (alertsPerMinute >= 1 ? 0.05 : 0)
            + (sentiment is null ? 0 : 0.15 * sentiment.Urgency);
        return Math.Round(Math.Min(1, score), 2);
    }

    /// <summary>Alerts (and repeats) per minute since the first one; 0 for a single alert.</summary>
    private static double Rate(Incident incident, DateTimeOffset now)
    {
        var occurrences = incident.Alerts.Sum(a => a.Occurrences);
        var minutes = Math.Max(1, (now - incident.OccurredAt).TotalMinutes);
        return occurrences <= 1 ? 0 : Math.Round(occurrences / minutes, 2);
    }

    private async Task<IReadOnlyList<string>> NotesAsync(string incidentId)
    {
        var timeline = await store.GetTimelineAsync(incidentId);
        return [.. timeline.Where(e => e.Type == EventTypes.IncidentNoteAdded)
            .Select(e => e.Data.TryGetProperty("note", out var note) && note.ValueKind == JsonValueKind.String ? note.GetString() : null)
            .OfType<string>()];
    }

    /// <summary>
    /// Other open incidents of the same service, sharing a component, or of the same category, begun within two hours
    /// (the 100 newest). What the others are is read from their own detection where they have one (its components and
    /// category), else from their document (service, title), not from their alerts: in a storm, hundreds of open incidents
    /// hold thousands of alerts, and reading them all made every analysis slower as the storm went on.
    /// </summary>
    private async Task<IReadOnlyList<RelatedIncident>> RelatedAsync(Incident incident, string category, IReadOnlyList<string> components, DateTimeOffset now)
    {
        var related = new List<RelatedIncident>();
        foreach (var (other, run) in await store.OpenSinceAsync(now - RelatedWindow, 101, AgentPhase.Detection))
        {
            if (other.Id == incident.Id)
            {
                continue;
            }

            var concluded = run?.Result is { } result ? result.Deserialize<DetectionResult>(OpsJson.Options) : null;
            var theirComponents = concluded?.AffectedComponents ?? [.. other.Alerts.Select(a => a.Component).OfType<string>()];
            var shared = theirComponents.Intersect(components, StringComparer.OrdinalIgnoreCase).FirstOrDefault();
            var reason = string.Equals(other.Service, incident.Service, StringComparison.OrdinalIgnoreCase) ? $"same service ({other.Service})"
                : shared is not null ? $"shares component {shared}"
                : category != IncidentCategories.Unknown && CategoryOf(other, concluded) == category
                    ? $"same kind ({category.Replace('_', ' ')})" : null;
            if (reason is not null)
            {
                related.Add(new RelatedIncident(other.Id, other.Title, other.Service, reason));
            }
        }

        return [.. related.Take(5)];
    }

    /// <summary>The other incident's category: as its detection concluded, else from its alerts' text if its document holds them, else its title.</summary>
    private static string? CategoryOf(Incident other, DetectionResult? concluded) =>
        concluded?.Category
        ?? (IncidentCategories.Match(other.Alerts.Count > 0 ? IncidentCategories.TextOf(other) : other.Title) is [var top, ..] ? top.Rule.Category : null);

    private static IEnumerable<string> LabelValues(Incident incident, string label) =>
        incident.Alerts.Select(a => a.Labels.GetValueOrDefault(label)).OfType<string>();

    private static List<string> Distinct(IEnumerable<string?> values) =>
        [.. values.OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
}
