using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

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

public sealed record Hypothesis(string Category, string Cause, double Confidence, IReadOnlyList<string> Evidence);

/// <summary>Ranked hypotheses; <see cref="Unknown"/> when the evidence is too thin to name a cause.</summary>
public sealed record DiagnosisResult(IReadOnlyList<Hypothesis> Hypotheses, bool Unknown, string Summary)
{
    /// <summary>Which engine reasoned (<c>local:rules</c>, <c>bedrock:model-id</c>, <c>rules</c> without the AI layer).</summary>
    public string? Engine { get; init; }

    /// <summary>What the AI layer noted on the way: injection markers in the alert text, models skipped or fallen back from, why.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>Changes to the service shortly before the first alert, in words.</summary>
    public IReadOnlyList<string> RecentChanges { get; init; } = [];

    /// <summary>Resolved incidents that read like this one.</summary>
    public IReadOnlyList<SimilarIncident> SimilarIncidents { get; init; } = [];

    /// <summary>What fixed incidents of the leading category before, and how often it worked.</summary>
    public IReadOnlyList<PastFix> PastFixes { get; init; } = [];
}

public sealed record SimilarIncident(string Title, string Source, double Score, string Snippet);

public sealed record PastFix(string Remediation, long Tried, long Worked, double? SuccessRate);

public sealed record PredictionResult(
    double ExpectedMinutesToResolve,
    double IntervalLowMinutes,
    double IntervalHighMinutes,
    double EscalationProbability,
    bool PreventionCandidate,
    string Basis)
{
    /// <summary>How many similar resolved incidents the estimate rests on (0: a severity baseline).</summary>
    public int SampleSize { get; init; }

    public double? SloTargetMinutes { get; init; }

    /// <summary>Share of similar incidents that took longer than the SLO target; null without history.</summary>
    public double? SloBreachProbability { get; init; }

    public bool LikelyToBreachSlo { get; init; }
}

/// <summary>One step of a plan. <see cref="Remediation"/> names what it does (rollback, restart, scale_out...) for approvals and outcome tracking.</summary>
public sealed record ResolutionStep(int Order, string Title, StepKind Kind, string? Command, string Source)
{
    public string? Remediation { get; init; }
}

public sealed record ResolutionPlan(IReadOnlyList<ResolutionStep> Steps, string Summary);
