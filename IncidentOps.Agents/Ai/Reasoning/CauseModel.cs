using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The learned weights of the cause model (<c>CaseBase/cause-model.json</c>), written by the training command
/// (<c>dotnet run --project tools/IncidentOps.Training</c>) from the read scenario batches, and what the training
/// measured: the temperature that calibrates it and the probability under which the answer is "unknown", both fitted
/// on predictions for batches the fit had not seen (cross-validated over groups of whole batches).
/// </summary>
public sealed record CauseModelWeights(
    IReadOnlyList<string> Features,
    IReadOnlyList<double> Weights,
    double Temperature,
    double UnknownBelow)
{
    public DateTimeOffset TrainedAt { get; init; }

    public IReadOnlyList<string> TrainedOn { get; init; } = [];

    public int Examples { get; init; }

    /// <summary>The L2 penalty the weights were fitted with (chosen by cross-validation over groups of batches).</summary>
    public double L2 { get; init; }

    /// <summary>How far a nearly identical confirmed case moves probability to its cause (fitted, see <see cref="ConfirmedBoost"/>).</summary>
    public ConfirmedBoost Confirmed { get; init; } = ConfirmedBoost.HandSet;

    /// <summary>
    /// Per candidate ("unknown" included), the mean sentence embedding of the scenarios the weights were fitted on
    /// (unit length): what each kind of incident reads like across every author's vocabulary.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> CorpusPrototypes { get; init; } = new Dictionary<string, float[]>();

    /// <summary>The scenarios the weights were fitted on, as embeddings with their causes: the neighbours that vote (<see cref="CorpusNeighbours"/>).</summary>
    public IReadOnlyList<CorpusCase> CorpusCases { get; init; } = [];

    /// <summary>
    /// The text model over the candidates (<see cref="CauseTextModel"/>), fitted on every read batch; null in a model
    /// trained before it (the "corpus_text" features then count 0).
    /// </summary>
    public CauseTextWeights? CorpusText { get; init; }

    /// <summary>Per batch: the figures of a model trained without its group of batches, tested on it (the honest estimate).</summary>
    public IReadOnlyList<BatchEstimate> CrossValidated { get; init; } = [];

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never };
}

/// <summary>
/// A case responders confirmed that is nearly this incident moves probability to its cause: a share
/// min(<see cref="Cap"/>, (similarity − <see cref="Near"/>) × <see cref="Slope"/>) of it, none below <see cref="Near"/>.
/// Fitted by the training command on a simulation (each held-out batch's other incidents as the confirmed cases), with
/// what it measured there. When no boost lowers the simulation's log loss, the hand-set one is kept
/// (<see cref="Fitted"/> false): the corpus has no two incidents that near (a recurrence of one incident), so it cannot
/// fit the boost there, and the simulation says only that a boost below 0.8 would hurt.
/// </summary>
public sealed record ConfirmedBoost(double Near, double Slope, double Cap)
{
    public static ConfirmedBoost None { get; } = new(1, 0, 0);

    /// <summary>From 0.8 (nearly the same incident, as the team labelled it), up to 80 % of the probability at similarity 1.</summary>
    public static ConfirmedBoost HandSet { get; } = new(0.8, 4, 0.8);

    public bool Fitted { get; init; }

    /// <summary>Incidents of the simulation with a confirmed case at least <see cref="Near"/>, and how often its cause was theirs.</summary>
    public int Simulated { get; init; }

    public double NeighbourRight { get; init; }

    /// <summary>Log loss of the simulation's first answers without and with the boost.</summary>
    public double LogLossWithout { get; init; }

    public double LogLossWith { get; init; }

    /// <summary>Per similarity band of the simulation: how many incidents had their nearest confirmed case that near, and how often its cause was theirs.</summary>
    public IReadOnlyList<ConfirmedBand> Bands { get; init; } = [];

    public double Share(double similarity) => Math.Clamp((similarity - Near) * Slope, 0, Cap);

    /// <summary>The probabilities with <paramref name="share"/> of them moved to candidate <paramref name="to"/>.</summary>
    public static double[] Apply(double[] p, int to, double share)
    {
        var boosted = (double[])p.Clone();
        for (var i = 0; i < boosted.Length; i++)
        {
            boosted[i] = ((1 - share) * boosted[i]) + (i == to ? share : 0);
        }

        return boosted;
    }
}

/// <summary>Incidents whose nearest confirmed case was at least <paramref name="From"/> near, and how many of those shared its cause.</summary>
public sealed record ConfirmedBand(double From, int Count, int SameCause);

/// <summary>Cross-validated figures of one batch (predicted by a model fitted without its group of batches).</summary>
public sealed record BatchEstimate(string Batch, int N, double Top1, double Top3, double Remediation, double UnknownRate);

/// <summary>
/// A conditional logit over the candidate causes and "unknown": each candidate's score is the weights · its feature
/// vector (<see cref="CauseEvidence.Vectors"/>), divided by the fitted temperature, then a softmax. Written by hand (a
/// dot product and a softmax) rather than loading ML.NET into the worker: the model is ~40 weights, and ML.NET's
/// multiclass trainers have no shared-weights (per-candidate features) form.
/// </summary>
public sealed class CauseModel(CauseModelWeights weights)
{
    /// <summary>
    /// A cause below this is not listed beside the first. Low on purpose: the second and third are there to be looked at,
    /// each shown with its calibrated probability, and a cause at 1-3 % was the right one often enough to be worth the look.
    /// </summary>
    public const double ListedBelow = 0.01;

    public CauseModelWeights Weights { get; } = Validate(weights);

    private readonly CorpusNeighbours _neighbours = new(weights.CorpusCases);

    private readonly CauseTextModel? _text = weights.CorpusText is { } text ? new CauseTextModel(text) : null;

    /// <summary>The shipped model, from the output folder.</summary>
    public static CauseModel Load(string? path = null)
    {
        path ??= Path.Combine(AppContext.BaseDirectory, "CaseBase", "cause-model.json");
        return new CauseModel(JsonSerializer.Deserialize<CauseModelWeights>(File.ReadAllText(path), CauseModelWeights.Json)
            ?? throw new InvalidDataException($"{path} is empty."));
    }

    /// <summary>
    /// The probability of each candidate, in <see cref="CauseEvidence.Candidates"/> order. A case a responder confirmed
    /// that is nearly this incident moves probability to its cause (<see cref="CauseModelWeights.Confirmed"/>, fitted).
    /// </summary>
    public double[] Probabilities(CauseEvidence evidence)
    {
        var p = Softmax(evidence.WithCorpus(Weights.CorpusPrototypes, _neighbours, _text).Vectors(), Weights.Weights, Weights.Temperature);
        var nearest = Enumerable.Range(0, evidence.Causes.Count).MaxBy(i => evidence.Causes[i].ConfirmedSimilarity);
        var share = Weights.Confirmed.Share(evidence.Causes[nearest].ConfirmedSimilarity);
        return share > 0 ? ConfirmedBoost.Apply(p, nearest, share) : p;
    }

    /// <summary>
    /// The causes worth naming, likeliest first, each with its calibrated probability and the evidence behind it;
    /// empty ("unknown") when the likeliest cause is below the fitted threshold, or when "unknown" is likeliest unless
    /// that cause is the one a nearly identical confirmed case moved probability to (see <see cref="NamesConfirmed"/>).
    /// </summary>
    public IReadOnlyList<CauseHypothesis> Hypotheses(CauseEvidence evidence) => Hypotheses(evidence, Probabilities(evidence));

    /// <summary>The same, from the candidates' probabilities already computed (<see cref="Probabilities"/>) for this evidence.</summary>
    public IReadOnlyList<CauseHypothesis> Hypotheses(CauseEvidence evidence, double[] p)
    {
        var ranked = Enumerable.Range(0, p.Length).OrderByDescending(i => p[i]).ToList();
        var unknown = CauseEvidence.Candidates.Count - 1;
        var top = ranked.First(i => i != unknown);
        if (p[top] < Weights.UnknownBelow || (ranked[0] == unknown && !NamesConfirmed(evidence, top)))
        {
            return [];
        }

        return [.. ranked.Where(i => i != unknown && (i == ranked[0] || p[i] >= ListedBelow)).Take(3).Select(i =>
        {
            var cause = evidence.Causes[i];
            var rule = IncidentCategories.Find(cause.Category)!;
            var said = cause.Service is null ? rule.Cause : $"{rule.Cause} (on {cause.Service}, incident {cause.IncidentId})";
            // The incident's own word on the fix first, then the nearest hand-written case's.
            return new CauseHypothesis(cause.Category, said, Math.Round(p[i], 2),
                [.. cause.Evidence, $"learned model: probability {p[i]:0.00} (calibrated on batches it was not fitted to)"])
            {
                SuggestedRemediation = cause.RemediationSaid ?? cause.Remediation,
                Service = cause.Service,
                IncidentId = cause.IncidentId,
            };
        })];
    }

    /// <summary>
    /// Whether candidate <paramref name="cause"/> is the one a confirmed case near enough to move probability moved it to.
    /// "Unknown" says the evidence is too thin to name a cause; a case the team confirmed that reads nearly like this
    /// incident is evidence, so its cause is named (with its probability, however close "unknown" stands) rather than
    /// "unknown": a paraphrase of a confirmed incident (similarity 0.92) took 0.49 against "unknown" 0.49, the model
    /// alone having given "unknown" 0.92 to a text with no cause words it knows.
    /// </summary>
    private bool NamesConfirmed(CauseEvidence evidence, int cause) =>
        Weights.Confirmed.Share(evidence.Causes[cause].ConfirmedSimilarity) > 0
        && evidence.Causes.All(c => c.ConfirmedSimilarity <= evidence.Causes[cause].ConfirmedSimilarity);

    /// <summary>
    /// Every cause the evidence leaves worth a look (the top <paramref name="count"/> by probability, whatever the
    /// "unknown" decision), with its probability and evidence: the candidates a model (Bedrock) is given to weigh.
    /// </summary>
    public IReadOnlyList<CauseHypothesis> Candidates(CauseEvidence evidence, int count = 5)
    {
        var p = Probabilities(evidence);
        return [.. Enumerable.Range(0, CauseEvidence.Categories.Count).OrderByDescending(i => p[i]).Take(count).Select(i =>
            new CauseHypothesis(evidence.Causes[i].Category, IncidentCategories.Find(evidence.Causes[i].Category)!.Cause, Math.Round(p[i], 2), evidence.Causes[i].Evidence))];
    }

    /// <summary>Softmax of the candidates' scores at a temperature (shared with the training command).</summary>
    public static double[] Softmax(double[][] vectors, IReadOnlyList<double> w, double temperature) =>
        Softmax([.. vectors.Select(v => Dot(v, w))], temperature);

    /// <summary>
    /// Softmax of scores already weighed (<see cref="Dot"/> of each candidate's vector and the weights) at a temperature:
    /// the training command searches temperatures on scores it computed once.
    /// </summary>
    public static double[] Softmax(double[] weighed, double temperature)
    {
        var scores = weighed.Select(s => s / temperature).ToArray();
        var max = scores.Max();
        var exp = scores.Select(s => Math.Exp(s - max)).ToArray();
        var sum = exp.Sum();
        return [.. exp.Select(e => e / sum)];
    }

    public static double Dot(double[] v, IReadOnlyList<double> w)
    {
        var s = 0.0;
        for (var i = 0; i < v.Length; i++)
        {
            s += v[i] * w[i];
        }

        return s;
    }

    private static CauseModelWeights Validate(CauseModelWeights weights) =>
        weights.Features.SequenceEqual(CauseEvidence.FeatureNames) && weights.Weights.Count == weights.Features.Count && weights.Temperature > 0
            ? weights
            : throw new InvalidDataException("The cause model's features do not match the engine's: retrain it (dotnet run --project tools/IncidentOps.Training).");
}
