using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

public static class TestCauseModels
{
    /// <summary>
    /// A model whose only weights are the per-candidate biases, set so the candidates given ("unknown" included) get
    /// about those probabilities (the rest ~0).
    /// </summary>
    public static CauseModel With(Dictionary<string, double> probabilities)
    {
        var names = CauseEvidence.FeatureNames;
        var weights = names.Select(name => name switch
        {
            _ when name.StartsWith("bias:", StringComparison.Ordinal) && probabilities.TryGetValue(name[5..], out var p) => Math.Log(p),
            "unknown:bias" when probabilities.TryGetValue(IncidentCategories.Unknown, out var p) => Math.Log(p),
            _ when name.StartsWith("bias:", StringComparison.Ordinal) || name == "unknown:bias" => -20,
            _ => 0,
        }).ToList();
        return new CauseModel(new CauseModelWeights(names, weights, 1, LocalReasoner.MinimumConfidence));
    }

    /// <summary>Evidence with nothing in it but, optionally, each named cause's nearest confirmed case's similarity.</summary>
    public static CauseEvidence Evidence(Dictionary<string, double>? confirmedSimilarity = null) =>
        new([.. CauseEvidence.Categories.Select(c => new CategoryEvidence(c) { ConfirmedSimilarity = confirmedSimilarity?.GetValueOrDefault(c) ?? 0 })], 0, 0);
}
