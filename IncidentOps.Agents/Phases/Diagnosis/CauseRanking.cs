using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Phases.Diagnosis;

/// <summary>
/// Orders hypotheses as an SRE reads them: causes before symptoms, and a loud effect after the cause behind it.
/// Failing calls to a dependency are what a partition, lock contention, a wrong endpoint, an expired certificate or a
/// full disk look like from the caller; saturation is what a surge or lock waits look like from the host. When the
/// explaining cause has evidence of its own, the effect's confidence is discounted by it (it is less likely to be the
/// root cause), so "failover" or "scale out" do not win over the cause that needs something else.
/// </summary>
public static class CauseRanking
{
    /// <summary>An explaining cause counts once its own confidence reaches this.</summary>
    public const double ExplainerFloor = 0.35;

    private static readonly Dictionary<string, string[]> ExplainedBy = new(StringComparer.Ordinal)
    {
        ["dependency_outage"] = ["network_partition", "database_contention", "config_error", "certificate_expiry", "disk_full", "bad_deploy"],
        ["resource_exhaustion"] = ["traffic_spike", "database_contention"],
    };

    /// <summary>Whether the category is usually the effect of another cause (then a recent change is not weighed down by it).</summary>
    public static bool IsEffect(string category) => ExplainedBy.ContainsKey(category);

    public static List<Hypothesis> Rank(IEnumerable<Hypothesis> hypotheses)
    {
        var all = hypotheses.ToList();
        var adjusted = all.Select(h =>
        {
            if (!ExplainedBy.TryGetValue(h.Category, out var causes))
            {
                return h;
            }

            var explainer = all.Where(o => causes.Contains(o.Category) && o.Confidence >= ExplainerFloor).MaxBy(o => o.Confidence);
            return explainer is null ? h : h with
            {
                Confidence = Math.Round(h.Confidence * (1 - (0.6 * explainer.Confidence)), 2),
                Evidence = [.. h.Evidence, $"likely an effect of {explainer.Category.Replace('_', ' ')} (confidence {explainer.Confidence:0.00}), not its cause"],
            };
        });
        return [.. adjusted.OrderBy(h => IncidentCategories.Find(h.Category)?.Symptom == true).ThenByDescending(h => h.Confidence).ThenBy(h => h.Category, StringComparer.Ordinal)];
    }
}
