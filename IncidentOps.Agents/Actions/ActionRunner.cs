using System.Diagnostics;
using IncidentOps.Core.Storage;

namespace IncidentOps.Agents.Actions;

/// <summary>Carries out one approved action through its executor, records the outcome, and credits it to the fix history.</summary>
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
        await actions.FinishAsync(incidentId, actionId, outcome.Succeeded, outcome.Detail, Activity.Current?.Id);
        if (action is { Category: { } category, Remediation: { } remediation })
        {
            await fixes.RecordAsync(category, remediation, outcome.Succeeded);
        }
    }
}
