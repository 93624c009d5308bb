using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Actions;

/// <summary>What carrying out an action gave: whether it worked, and what to record.</summary>
public sealed record ExecutionOutcome(bool Succeeded, string Detail);

/// <summary>Carries out an approved action.</summary>
public interface IActionExecutor
{
    string Name { get; }

    Task<ExecutionOutcome> ExecuteAsync(ProposedAction action, Incident incident, CancellationToken cancellationToken);
}

public static class ActionExecutors
{
    public const string Manual = "manual";
    public const string Webhook = "webhook";
}

/// <summary>Runs nothing: records that the person who approved the step carries it out by hand.</summary>
public sealed class ManualExecutor : IActionExecutor
{
    public string Name => ActionExecutors.Manual;

    public Task<ExecutionOutcome> ExecuteAsync(ProposedAction action, Incident incident, CancellationToken cancellationToken) =>
        Task.FromResult(new ExecutionOutcome(true, $"Carried out by hand by {action.DecidedBy ?? "a responder"}; recorded, not executed."));
}
