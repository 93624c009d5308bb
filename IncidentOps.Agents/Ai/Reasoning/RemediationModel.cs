using System.Text.Json;
using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The learned first-fix weights (<c>CaseBase/remediation-model.json</c>), written by the training command beside the
/// cause model from the same read batches: per cause whose authors chose more than one first fix, a multinomial logit
/// over those fixes. Only the causes where it chose better than the rules and the nearest case on batches it was not
/// fitted to (cross-validated over groups of batches) are kept; the others keep the rules.
/// </summary>
public sealed record RemediationModelWeights(IReadOnlyDictionary<string, CauseRemediations> Causes)
{
    public DateTimeOffset TrainedAt { get; init; }

    public IReadOnlyList<string> TrainedOn { get; init; } = [];

    /// <summary>The L2 penalty the weights were fitted with (chosen by cross-validation over groups of batches).</summary>
    public double L2 { get; init; }

    /// <summary>Per cause, the cross-validated count of right first fixes with the right cause given: the model's and the rules'.</summary>
    public IReadOnlyList<RemediationEstimate> CrossValidated { get; init; } = [];

    public static JsonSerializerOptions Json => CauseModelWeights.Json;
}

/// <summary>
/// One cause's fixes, the bias of each, and per feature (a word of the incident's text, the fix its own evidence says,
/// a recent change of the service) the weight it adds to each fix, in <see cref="Remediations"/> order.
/// </summary>
public sealed record CauseRemediations(IReadOnlyList<string> Remediations, IReadOnlyList<double> Bias, IReadOnlyDictionary<string, double[]> Weights);

/// <summary>Of <paramref name="N"/> incidents of a cause (its right cause given), how many the model's first fix and the rules' got right.</summary>
public sealed record RemediationEstimate(string Cause, int N, int Model, int Rules, bool Kept);

/// <summary>
/// The first fix within a cause, chosen by what the incident says: its words (a secondary region, a replica, a campaign,
/// one client's share) and what it reads like (its sentence embedding), the fix its own evidence names
/// (<see cref="RemediationEvidence"/>) and whether the service was just deployed or reconfigured. Written by hand (a
/// sparse dot product and a softmax) for the reason <see cref="CauseModel"/> is: a few thousand weights per cause do not
/// need ML.NET in the worker.
/// </summary>
public sealed partial class RemediationModel(RemediationModelWeights weights)
{
    public RemediationModelWeights Weights { get; } = weights;

    /// <summary>The shipped model, from the output folder.</summary>
    public static RemediationModel Load(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "CaseBase", "remediation-model.json");
        return new RemediationModel(JsonSerializer.Deserialize<RemediationModelWeights>(File.ReadAllText(path), RemediationModelWeights.Json)
            ?? throw new InvalidDataException($"{path} is empty."));
    }

    /// <summary>The words of an incident's text the model reads (lower case, three letters or more, no figures).</summary>
    public static IReadOnlySet<string> Terms(string text) =>
        Word().Matches(text.ToLowerInvariant()).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// What the model reads for one candidate cause: what the text model reads (<see cref="CauseTextModel.Features"/>: the
    /// words, the first alert's words, the sentence embedding, the causes a recent change points to) and the fix its own
    /// evidence says ("said:fix").
    /// </summary>
    public static IReadOnlyDictionary<string, double> Features(CauseEvidence evidence, CategoryEvidence cause)
    {
        var features = CauseTextModel.Features(evidence);
        if (cause.RemediationSaid is { } said)
        {
            features[$"said:{said}"] = 1;
        }

        return features;
    }

    /// <summary>The fixes of <paramref name="category"/> with their probabilities, likeliest first; empty when the model has none for it.</summary>
    public IReadOnlyList<(string Remediation, double Probability)> Rank(string category, IReadOnlyDictionary<string, double> features) =>
        Weights.Causes.TryGetValue(category, out var model)
            ? [.. model.Remediations.Zip(Probabilities(model, features)).OrderByDescending(x => x.Second)]
            : [];

    /// <summary>Each of the cause's fixes' probability (<see cref="CauseRemediations.Remediations"/> order).</summary>
    private static double[] Probabilities(CauseRemediations model, IReadOnlyDictionary<string, double> features)
    {
        var scores = model.Bias.ToArray();
        foreach (var (feature, value) in features)
        {
            if (model.Weights.TryGetValue(feature, out var w))
            {
                for (var k = 0; k < scores.Length; k++)
                {
                    scores[k] += w[k] * value;
                }
            }
        }

        return CauseModel.Softmax(scores, 1);
    }

    /// <summary>
    /// The hypotheses with the model's first fix suggested where it has one for the cause (with what weighed most for
    /// it, as evidence), else as they were (the fix the incident's evidence says, or the nearest case's).
    /// </summary>
    public IReadOnlyList<CauseHypothesis> Suggest(IReadOnlyList<CauseHypothesis> hypotheses, CauseEvidence evidence) =>
        [.. hypotheses.Select(h =>
        {
            var cause = evidence.Causes.FirstOrDefault(c => c.Category == h.Category);
            if (cause is null || !Weights.Causes.TryGetValue(h.Category, out var model))
            {
                return h;
            }

            var features = Features(evidence, cause);
            var p = Probabilities(model, features);
            var k = Array.IndexOf(p, p.Max());
            var fix = model.Remediations[k];
            // What pushed most toward this fix over the cause's others (a feature's weight for it above its mean weight).
            var why = features.Where(f => model.Weights.ContainsKey(f.Key))
                .Select(f => (f.Key, Push: f.Value * (model.Weights[f.Key][k] - model.Weights[f.Key].Average())))
                .Where(f => f.Push > 0).OrderByDescending(f => f.Push).Take(4).Select(f => $"'{f.Key}'").ToList();
            return h with
            {
                SuggestedRemediation = fix,
                Evidence = [.. h.Evidence, $"learned first fix: {fix} ({p[k]:0.00}; {(why.Count == 0 ? "the cause's usual fix" : $"weighed most: {string.Join(", ", why)}")})"],
            };
        })];

    [GeneratedRegex(@"\b[a-z][a-z0-9]{2,}\b")]
    private static partial Regex Word();
}
