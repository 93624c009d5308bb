namespace IncidentOps.Core.Domain;

/// <summary>Whether a step only looks (a query, a dashboard) or changes something (restart, rollback, scale, failover).</summary>
public enum StepKind
{
    ReadOnly,
    ApprovalRequired,
}

public enum ActionState
{
    /// <summary>Proposed; waits for a person to approve or reject it.</summary>
    AwaitingApproval,

    /// <summary>Approved (by a person, or by policy for an automatic read-only step); queued for its executor.</summary>
    Approved,
    Rejected,
    Running,
    Succeeded,
    Failed,

    /// <summary>Not decided before a re-analysis proposed a new plan.</summary>
    Superseded,
}

/// <summary>
/// One step of a resolution plan, as something a person decides on and an executor carries out.
/// Its <see cref="Kind"/> comes from the action policy, never from model output alone.
/// </summary>
public sealed record ProposedAction(
    string Id,
    string IncidentId,
    int Order,
    string Title,
    StepKind Kind,
    string? Remediation,
    string? Command,
    string Source,
    string Executor,
    ActionState State,
    DateTimeOffset ProposedAt)
{
    /// <summary>The diagnosis category the plan was made for; outcomes are credited to it.</summary>
    public string? Category { get; init; }

    /// <summary>Where the webhook executor sends the action, when the step names one.</summary>
    public string? Url { get; init; }

    public string? DecidedBy { get; init; }

    public string? DecisionReason { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? Outcome { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>How many times an executor was started on it; more than one means a worker stopped mid-run and it was retried.</summary>
    public int Attempts { get; init; }

    /// <summary>
    /// Sent with every execution of this action (the webhook's <c>Idempotency-Key</c> header), the same on a retry, so a
    /// receiver can tell a repeat from a second action. The action id: stable, and unique to the incident and its plan.
    /// </summary>
    public string IdempotencyKey => Id;

    public bool IsDecided => State is not (ActionState.AwaitingApproval or ActionState.Superseded);
}
