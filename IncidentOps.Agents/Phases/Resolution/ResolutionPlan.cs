using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Phases.Resolution;

/// <summary>One step of a plan. <see cref="Remediation"/> names what it does (rollback, restart, scale_out...) for approvals and outcome tracking.</summary>
public sealed record ResolutionStep(int Order, string Title, StepKind Kind, string? Command, string Source)
{
    public string? Remediation { get; init; }
}

public sealed record ResolutionPlan(IReadOnlyList<ResolutionStep> Steps, string Summary);
