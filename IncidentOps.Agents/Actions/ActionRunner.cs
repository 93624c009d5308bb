using System.Diagnostics;
using IncidentOps.Core.Storage;

namespace IncidentOps.Agents.Actions;

/// <summary>
/// Carries out one approved action through its executor: records it running before the executor is called and its outcome
/// after, and credits the outcome to the fix history. A worker killed in between leaves it running; the worker that claims
/// the work item runs it again with the same idempotency key (see <see cref="ActionStore.StartAsync"/>).
/// </summary>
public sealed class ActionRunner(
    ActionStore actions,
    IncidentStore incidents,
    FixOutcomes fixes,
    IEnumerable<IActionExecutor> executors,
    ILogger<ActionRunner> logger)
{
    public async Task RunAsync(string incidentId, string actionId, CancellationToken cancellationToken)
    {
        var incident = await incidents.GetAsync(incidentId);
        var action = incident is null ? null : await actions.StartAsync(incidentId, actionId, Activity.Current?.Id);
        if (incident is null || action is null)
        {
            // Not approved (or already finished): nothing to run, and nothing to run twice.
            return;
        }

        var executor = executors.FirstOrDefault(e => e.Name == action.Executor);
        ExecutionOutcome outcome;
        try
        {
            outcome = executor is null
                ? new ExecutionOutcome(false, $"No executor named '{action.Executor}'.")
                : await executor.ExecuteAsync(action, incident, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Whatever went wrong, the action is finished as failed: left "running", it would be run again on redelivery.
            outcome = new ExecutionOutcome(false, $"The {action.Executor} executor failed: {ex.Message}");
        }

        AgentsLog.ActionFinished(logger, actionId, incidentId, action.Executor, outcome.Succeeded);
        var detail = action.Attempts > 1
            ? $"{outcome.Detail} ({ActionStore.RetryNote(action)})"
            : outcome.Detail;
        await actions.FinishAsync(incidentId, actionId, outcome.Succeeded, detail, Activity.Current?.Id);
        if (action is { Category: { } category, Remediation: { } remediation })
        {
            await fixes.RecordAsync(incidentId, category, remediation, outcome.Succeeded);
        }
    }
}
