using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

/// <summary>Ranks root-cause hypotheses with the words that support each; says "unknown" when nothing matches.</summary>
public sealed class DiagnosisAgent : IAgent
{
    /// <summary>Below this, a hypothesis is not evidence enough to name a cause.</summary>
    public const double MinimumConfidence = 0.25;

    public AgentPhase Phase => AgentPhase.Diagnosis;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        await reportProgress(25, "Collecting evidence");
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
        return hypotheses.Count == 0
            ? new DiagnosisResult([], Unknown: true, "Unknown: the alerts do not carry enough evidence to name a cause.")
            : new DiagnosisResult(hypotheses, Unknown: false, $"Most likely: {hypotheses[0].Cause} (confidence {hypotheses[0].Confidence:0.00}).");
    }
}
