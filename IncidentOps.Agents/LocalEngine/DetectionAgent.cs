using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

/// <summary>Classifies the incident, names what it touches, and scores how urgent it is.</summary>
public sealed class DetectionAgent : IAgent
{
    public AgentPhase Phase => AgentPhase.Detection;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        await reportProgress(30, "Classifying alerts");
        var matches = IncidentCategories.Match(IncidentCategories.TextOf(incident));
        var category = matches.Count > 0 ? matches[0].Rule.Category : IncidentCategories.Unknown;

        await reportProgress(60, "Measuring blast radius");
        var services = incident.Alerts.Select(a => a.Service).Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList();
        var components = incident.Alerts.Select(a => a.Component).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).Order().ToList();

        // Urgency: severity sets the base; more alerts and more services raise it, capped at 1.
        var severityBase = incident.Severity switch
        {
            Severity.Critical => 0.8,
            Severity.Error => 0.6,
            Severity.Warning => 0.35,
            _ => 0.15,
        };
        var urgency = Math.Min(1, severityBase + (0.03 * (incident.Alerts.Count - 1)) + (0.05 * (services.Count - 1)));

        await reportProgress(90, "Scoring urgency");
        return new DetectionResult(
            category, services, components, services.Count + components.Count, Math.Round(urgency, 2), incident.Severity,
            $"{category.Replace('_', ' ')} on {string.Join(", ", services)} ({incident.Alerts.Count} alert(s), {incident.Severity.ToString().ToLowerInvariant()})");
    }
}
