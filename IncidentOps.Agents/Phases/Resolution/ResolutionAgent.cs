using IncidentOps.Agents.Actions;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Phases.Resolution;

/// <summary>
/// An ordered plan: read-only diagnostics first, then the remediations for the leading hypothesis,
/// each marked approval-required so that nothing changes production without a person.
/// </summary>
/// <remarks>The best-matching runbook or past incident (local search or a Bedrock Knowledge Base) adds its read-only steps.</remarks>
public sealed class ResolutionAgent(IncidentAi ai) : IAgent
{
    public AgentPhase Phase => AgentPhase.Resolution;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        var diagnosis = context.ResultOf<DiagnosisResult>(AgentPhase.Diagnosis);
        await reportProgress(40, "Drafting diagnostic steps");

        var steps = new List<ResolutionStep>
        {
            new(1, $"Check the {incident.Service} dashboards and recent error logs", StepKind.ReadOnly,
                RemediationChoice.CommandFor("kubectl logs deployment/{service} --since=30m", incident.Service), "local engine: standard triage") { Remediation = "inspect" },
            new(2, "Review changes deployed in the last 24 hours", StepKind.ReadOnly, null, "local engine: standard triage") { Remediation = "inspect" },
        };

        var leading = diagnosis is { Unknown: false } ? diagnosis.Hypotheses[0].Category : null;
        await reportProgress(60, "Searching runbooks and past incidents");
        steps.AddRange(await KnowledgeStepsAsync(ai, context, leading, steps.Count, cancellationToken));

        await reportProgress(75, "Choosing remediation");
        var remediations = diagnosis is null ? [] : RemediationChoice.For(diagnosis);
        if (leading is not null && remediations.Count > 0)
        {
            // The fix goes where the cause is: another service's, when the diagnosis read the cause in that service's incident.
            var first = diagnosis!.Hypotheses[0];
            var target = first.Service ?? incident.Service;
            var source = first.Service is null
                ? $"local engine: {leading.Replace('_', ' ')} playbook"
                : $"local engine: {leading.Replace('_', ' ')} playbook, on {first.Service} (the cause read in its incident {first.IncidentId})";
            steps.AddRange(remediations.Select((r, i) =>
            {
                var step = RemediationChoice.Step(r, steps.Count + i + 1, target, source);
                return first.Service is null ? step : step with { Title = $"{step.Title} on {first.Service}" };
            }));
        }
        else
        {
            steps.Add(new(steps.Count + 1, "Escalate to the owning team: no confident diagnosis", StepKind.ReadOnly, null,
                diagnosis is null ? "local engine: diagnosis failed" : "local engine: diagnosis unknown") { Remediation = "escalate" });
        }

        var plan = new ResolutionPlan(steps, leading is null
            ? "Triage steps only: the cause is not known yet."
            : $"Triage, then {(remediations.Count > 0 ? remediations[0].Title.ToLowerInvariant() : "escalate to the owning team")} (needs approval).");
        await ai.RememberAsync(new IncidentAiContext(incident, Phase), leading, plan.Summary, cancellationToken);

        return plan;
    }

    /// <summary>Read-only steps from the best runbook or past incident, and the knowledge assistant's answer when one is configured.</summary>
    private static async Task<List<ResolutionStep>> KnowledgeStepsAsync(IncidentAi ai, AgentContext context, string? leading, int before, CancellationToken cancellationToken)
    {
        var aiContext = new IncidentAiContext(context.Incident, AgentPhase.Resolution);
        var steps = new List<(string Title, string? Command, string Source)>();
        var found = await ai.RetrieveAsync(aiContext, cancellationToken);
        if (!found.NoGoodMatch)
        {
            var best = found.Matches[0];
            var source = $"{found.Engine}: {best.Source} (score {best.Score:0.00})";
            steps.Add((best.Kind == RetrievalKind.ResolvedIncident ? $"Compare with past incident '{best.Title}': {best.Snippet}" : $"Follow runbook '{best.Title}'", null, source));
            if (ai.RunbookOf(best) is { } runbook)
            {
                steps.AddRange(runbook.ReadOnlyCommands
                    .Where(ActionPolicy.IsReadOnlyCommand)
                    .Take(2)
                    .Select(c => ($"Run read-only check from '{runbook.Title}'", RemediationChoice.CommandFor(c, context.Incident.Service), source)));
            }
        }

        if (ai.HasKnowledgeAssistant && leading is not null)
        {
            var answer = await ai.AskAsync($"How do we diagnose and fix {leading.Replace('_', ' ')} on {context.Incident.Service}?", aiContext, cancellationToken);
            if (answer.Answered)
            {
                steps.Add(($"Knowledge assistant: {answer.Answer}", null, $"{answer.Engine}: {string.Join(", ", answer.Sources.Take(3).Select(s => s.Source))}"));
            }
        }

        return [.. steps.Select((s, i) => new ResolutionStep(before + i + 1, s.Title, StepKind.ReadOnly, s.Command, s.Source))];
    }
}
