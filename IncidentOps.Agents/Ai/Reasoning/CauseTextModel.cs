namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The text model's weights (stored in the cause model's file, <see cref="CauseModelWeights.CorpusText"/>): per
/// candidate cause ("unknown" last, <see cref="CauseEvidence.Candidates"/> order) a bias, and per feature (a word, a word
/// of the first alert, a coordinate of the sentence embedding) the weight it adds to each candidate.
/// </summary>
public sealed record CauseTextWeights(IReadOnlyList<double> Bias, IReadOnlyDictionary<string, double[]> Weights);

/// <summary>
/// A multinomial logit over the candidate causes on what the incident says, word by word, and what it reads like (its
/// sentence embedding), fitted by the training command on the read scenarios. It learns the vocabulary of every kind of
/// incident across the corpus's authors (what the hand-written rules name, and the thousands of exporter, vendor and
/// log words they do not); the cause model reads its log-probabilities as one more piece of evidence per candidate
/// ("corpus_text"), beside the rules, figures, changes and neighbours, with a weight fitted on predictions of batches
/// the text model had not seen. It learns how the corpus's authors word each kind: the held-out batches measure new
/// authors of the same brief, not every team's alerts. A sparse dot product and a softmax, by hand for the reason
/// <see cref="CauseModel"/> is.
/// </summary>
public sealed class CauseTextModel(CauseTextWeights weights)
{
    /// <summary>A candidate's log-probability is not read below this (a word the model never saw with a cause is not proof against it).</summary>
    public const double LogFloor = -12;

    /// <summary>
    /// How much the sentence embedding counts beside the words: each of its 384 coordinates is a feature of this scale (a
    /// unit vector's coordinates are ~0.05, a word's feature 1). Chosen for the first-fix model (measured with the right
    /// cause given, leave one batch out over 3,720 read incidents: words 3,392 right first fixes, with the embedding at
    /// 3 3,401, with the first alert's words apart too 3,413) and kept for the causes.
    /// </summary>
    private const double EmbeddingScale = 3;

    /// <summary>The embedding's feature names, spelled once rather than for every incident.</summary>
    private static readonly string[] EmbeddingFeatures = [.. Enumerable.Range(0, 384).Select(i => $"embedding:{i}")];

    public CauseTextWeights Weights { get; } = weights.Bias.Count == CauseEvidence.Candidates.Count && weights.Weights.Values.All(w => w.Length == weights.Bias.Count)
        ? weights
        : throw new InvalidDataException("The text model's candidates do not match the engine's: retrain it (dotnet run --project tools/IncidentOps.Training).");

    /// <summary>
    /// What the text model (and the first-fix model, <see cref="RemediationModel.Features"/>) reads of an incident: its
    /// words (1 each), the first alert's words again as "first:word" (where the evidence sits), its sentence embedding
    /// (<see cref="EmbeddingScale"/>), and the causes a recent change of the service points to ("change:bad_deploy": 1
    /// within the hour before, 0.5 older), which the alerts' words alone do not say.
    /// </summary>
    public static Dictionary<string, double> Features(CauseEvidence evidence)
    {
        var features = evidence.Terms.ToDictionary(t => t, _ => 1.0, StringComparer.Ordinal);
        foreach (var term in evidence.FirstTerms)
        {
            features[$"first:{term}"] = 1;
        }

        for (var i = 0; i < evidence.Embedding.Length; i++)
        {
            features[i < EmbeddingFeatures.Length ? EmbeddingFeatures[i] : $"embedding:{i}"] = evidence.Embedding[i] * EmbeddingScale;
        }

        foreach (var change in evidence.Causes.Where(c => c.RecentChange > 0))
        {
            features[$"change:{change.Category}"] = change.RecentChange;
        }

        return features;
    }

    /// <summary>Each candidate's log-probability (<see cref="CauseEvidence.Candidates"/> order), none below <see cref="LogFloor"/>.</summary>
    public double[] LogProbabilities(CauseEvidence evidence)
    {
        var scores = Weights.Bias.ToArray();
        foreach (var (feature, value) in Features(evidence))
        {
            if (Weights.Weights.TryGetValue(feature, out var w))
            {
                for (var k = 0; k < scores.Length; k++)
                {
                    scores[k] += w[k] * value;
                }
            }
        }

        return [.. CauseModel.Softmax(scores, 1).Select(p => Math.Max(LogFloor, Math.Log(p)))];
    }
}
