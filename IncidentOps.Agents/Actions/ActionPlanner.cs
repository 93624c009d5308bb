using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Actions;

/// <summary>
/// Turns a finished resolution plan into actions awaiting a decision. The policy, not the plan, sets
/// each step's kind; only read-only steps may be approved automatically, and only when configured.
/// Action ids derive from the plan's inputs, so a resumed run proposes the same actions, not new ones.
/// </summary>
public sealed class ActionPlanner(ActionStore actions, IOptions<ActionOptions> options, TimeProvider time)
{
    public async Task ProposeAsync(Incident incident, AgentRun resolution, JsonElement result, string? category, string? traceparent)
    {
        var plan = result.Deserialize<PlannedSteps>(OpsJson.Options);
        if (plan is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var proposed = plan.Steps.Select(step =>
        {
            var kind = ActionPolicy.Classify(step.Kind, step.Remediation, step.Title, step.Command);
            return new ProposedAction(
                IdFor(incident.Id, resolution.InputDigest, step), incident.Id, step.Order, step.Title, kind, step.Remediation,
                step.Command, step.Source, ExecutorFor(step.Remediation), ActionState.AwaitingApproval, now)
            { Category = category };
        }).ToList();

        await actions.ProposeAsync(incident.Id, proposed, action => options.Value.AutomaticReadOnly && action.Kind == StepKind.ReadOnly, traceparent);
    }

    private string ExecutorFor(string? remediation) =>
        remediation is not null && options.Value.Executors.TryGetValue(remediation, out var executor) ? executor : options.Value.DefaultExecutor;

    private static string IdFor(string incidentId, string? planDigest, PlannedStep step) =>
        "act_" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{incidentId}|{planDigest}|{step.Order}|{step.Title}")), 0, 6).ToLowerInvariant();

    /// <summary>What the planner reads of a resolution plan: its steps, by the plan's JSON contract (Actions does not depend on the phases).</summary>
    private sealed record PlannedSteps(IReadOnlyList<PlannedStep> Steps);

    private sealed record PlannedStep(int Order, string Title, StepKind Kind, string? Command, string Source, string? Remediation);
}
