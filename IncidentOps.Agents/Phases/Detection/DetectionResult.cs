using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Phases.Detection;

public sealed record DetectionResult(
    string Category,
    IReadOnlyList<string> AffectedServices,
    IReadOnlyList<string> AffectedComponents,
    int BlastRadius,
    double Urgency,
    Severity Severity,
    string Summary)
{
    /// <summary>Instances, pods, nodes or hosts named by the alerts' labels.</summary>
    public IReadOnlyList<string> Instances { get; init; } = [];

    /// <summary>Zones or regions named by the alerts' labels: more than one means a wider failure.</summary>
    public IReadOnlyList<string> Zones { get; init; } = [];

    public double AlertsPerMinute { get; init; }

    /// <summary>The tone of what responders wrote on the incident, when they wrote anything.</summary>
    public HumanSentiment? HumanSentiment { get; init; }

    public IReadOnlyList<RelatedIncident> RelatedOpenIncidents { get; init; } = [];
}

public sealed record HumanSentiment(string Label, double Score, double Urgency, int Notes);

public sealed record RelatedIncident(string Id, string Title, string Service, string Reason);
