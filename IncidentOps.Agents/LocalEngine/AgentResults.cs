using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

public sealed record DetectionResult(
    string Category,
    IReadOnlyList<string> AffectedServices,
    IReadOnlyList<string> AffectedComponents,
    int BlastRadius,
    double Urgency,
    Severity Severity,
    string Summary);

public sealed record Hypothesis(string Category, string Cause, double Confidence, IReadOnlyList<string> Evidence);

/// <summary>Ranked hypotheses; <see cref="Unknown"/> when the evidence is too thin to name a cause.</summary>
public sealed record DiagnosisResult(IReadOnlyList<Hypothesis> Hypotheses, bool Unknown, string Summary);

public sealed record PredictionResult(
    double ExpectedMinutesToResolve,
    double IntervalLowMinutes,
    double IntervalHighMinutes,
    double EscalationProbability,
    bool PreventionCandidate,
    string Basis);

/// <summary>One step of a plan. <see cref="Remediation"/> names what it does (rollback, restart, scale_out...) for approvals and outcome tracking.</summary>
public sealed record ResolutionStep(int Order, string Title, StepKind Kind, string? Command, string Source)
{
    public string? Remediation { get; init; }
}

public sealed record ResolutionPlan(IReadOnlyList<ResolutionStep> Steps, string Summary);
