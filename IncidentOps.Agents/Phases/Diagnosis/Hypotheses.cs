using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Phases.Diagnosis;

/// <summary>How more evidence joins a set of hypotheses, whatever it comes from (a recent change, an attached document).</summary>
public static class Hypotheses
{
    /// <summary>
    /// Adds one piece of evidence for <paramref name="category"/>: an existing hypothesis gets it by noisy-OR (more evidence
    /// never lowers a confidence), a new one starts at <paramref name="strength"/>.
    /// </summary>
    public static List<Hypothesis> Strengthen(List<Hypothesis> hypotheses, CategoryRule rule, double strength, string evidence)
    {
        var index = hypotheses.FindIndex(h => h.Category == rule.Category);
        return index >= 0
            ? [.. hypotheses.Select((h, i) => i != index ? h : h with
                {
                    Confidence = Math.Round(1 - ((1 - h.Confidence) * (1 - strength)), 2),
                    Evidence = [.. h.Evidence, evidence],
                })]
            : [.. hypotheses, new Hypothesis(rule.Category, rule.Cause, Math.Round(strength, 2), [evidence])];
    }

    /// <summary>Causes before symptoms ("latency" says what is wrong, not why), then by confidence.</summary>
    public static List<Hypothesis> Rank(IEnumerable<Hypothesis> hypotheses) =>
        [.. hypotheses.OrderBy(h => IncidentCategories.Find(h.Category)?.Symptom == true).ThenByDescending(h => h.Confidence)];
}
