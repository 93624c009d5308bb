using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

/// <summary>
/// Ranks root-cause hypotheses with the evidence that supports each; says "unknown" when nothing matches.
/// With the AI layer (<paramref name="ai"/>, registered in the app) the hypotheses come from <see cref="IncidentAi.ReasonAsync"/>:
/// the local engine's rules or a routed Bedrock model, in the same shape; without it, from the keyword rules alone.
/// </summary>
public sealed class DiagnosisAgent(IncidentAi? ai = null) : IAgent
{
    /// <summary>Below this, a hypothesis is not evidence enough to name a cause.</summary>
    public const double MinimumConfidence = 0.25;

    public AgentPhase Phase => AgentPhase.Diagnosis;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        await reportProgress(25, "Collecting evidence");
        if (ai is not null)
        {
            await reportProgress(50, $"Reasoning ({ai.Provider.ToString().ToLowerInvariant()})");
            var reasoning = await ai.ReasonAsync(new IncidentAiContext(context.Incident, Phase), cancellationToken);
            return Conclude([.. reasoning.Hypotheses
                .Select(h => new Hypothesis(h.Category, h.Cause, h.Confidence, h.Evidence))
                .Where(h => h.Confidence >= MinimumConfidence)]);
        }

        var matches = IncidentCategories.Match(IncidentCategories.TextOf(context.Incident));

        await reportProgress(60, "Ranking hypotheses");
        var hypotheses = matches
            .Take(3)
            .Select(m => new Hypothesis(
                m.Rule.Category,
                m.Rule.Cause,
                Math.Round(m.Score, 2),
                [.. m.Matches.Select(word => $"alert text mentions '{word}'")]))
            .Where(h => h.Confidence >= MinimumConfidence)
            .ToList();

        await reportProgress(90, "Writing conclusion");
        return Conclude(hypotheses);
    }

    private static DiagnosisResult Conclude(List<Hypothesis> hypotheses) =>
        hypotheses.Count == 0
            ? new DiagnosisResult([], Unknown: true, "Unknown: the alerts do not carry enough evidence to name a cause.")
            : new DiagnosisResult(hypotheses, Unknown: false, $"Most likely: {hypotheses[0].Cause} (confidence {hypotheses[0].Confidence:0.00}).");
}
