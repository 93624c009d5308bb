using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Resolution;

namespace IncidentOps.Training;

/// <summary>What the local engine would answer for one scenario with a given model: the causes, "unknown", the first fix.</summary>
public sealed record Prediction(TrainingScenario Scenario, IReadOnlyList<string> Categories, bool Unknown, double? Confidence, string? FirstRemediation, string TopEvidence)
{
    public bool Top1 => Scenario.Category == IncidentCategories.Unknown ? Unknown : !Unknown && Categories[0] == Scenario.Category;

    public bool Top3 => Scenario.Category == IncidentCategories.Unknown ? Unknown : !Unknown && Categories.Take(3).Contains(Scenario.Category);

    public bool RemediationMatches => FirstRemediation == Scenario.Remediation;

    /// <summary>When the answer is "unknown": the likeliest cause the model passed over, its probability and evidence, and "unknown"'s probability.</summary>
    public string PassedOver { get; init; } = string.Empty;

    /// <summary>The model's probability of every candidate (<see cref="CauseEvidence.Candidates"/> order, "unknown" last).</summary>
    public IReadOnlyList<double> Probabilities { get; init; } = [];
}

/// <summary>The model trained on every read batch, and each read batch's predictions by a model trained without its group of batches.</summary>
public sealed record TrainingResult(CauseModelWeights Model, IReadOnlyList<Prediction> CrossValidated, IReadOnlyList<Prediction> Training)
{
    /// <summary>Per incident, the local engine's reasoning time (evidence + model), sorted.</summary>
    public IReadOnlyList<double> ReasoningMs { get; init; } = [];
}

/// <summary>
/// Training with honest estimates. The read batches are dealt into <see cref="BatchGroups.Count"/> groups; for each, a
/// model fitted on the other groups (its L2 penalty, temperature and "unknown" threshold chosen, in turn, on predictions
/// for whole batches each inner fit left out) predicts the group: the cross-validated figure. The shipped model is
/// fitted on every batch, its L2 penalty, temperature and threshold chosen on the same groups' predictions.
/// </summary>
public static class CauseModelTraining
{
    public static TrainingResult Train(IReadOnlyList<TrainingExample> examples, RemediationTraining fixes)
    {
        var batches = examples.Select(e => e.Scenario.Batch).Distinct().Order(StringComparer.Ordinal).ToList();
        var groups = BatchGroups.Of(batches, BatchGroups.Count);
        var corpus = new CorpusReference(examples, groups);
        // The held-out fits are independent: run side by side (the inner ones are too); each batch keeps its group's model.
        var heldOutModels = groups.AsParallel().AsOrdered()
            .Select(held => (Held: held, Model: Fit([.. examples.Where(e => !held.Contains(e.Scenario.Batch))], corpus, [.. held])))
            .SelectMany(x => x.Held.Select(b => (Batch: b, x.Model)))
            .ToDictionary(x => x.Batch, x => x.Model, StringComparer.Ordinal);
        // Each held-out batch's first fixes from a first-fix model fitted without its group too (the causes it keeps were
        // chosen on the cross-validated predictions of every batch: a small optimism, measured again on the unread batches).
        var predictions = batches.SelectMany(held => examples.Where(e => e.Scenario.Batch == held).Select(e => Predict(heldOutModels[held], fixes.HeldOut[held], e))).ToList();

        var (l2, temperature, unseen) = ChooseL2(examples, corpus, [], groups);
        var final = new CauseModelWeights(CauseEvidence.FeatureNames, [.. CauseModelFit.Weights(corpus.Project(examples, []), l2).Select(w => Math.Round(w, 5))], temperature, CauseModelFit.UnknownBelow(unseen, temperature))
        {
            TrainedAt = DateTimeOffset.UtcNow,
            TrainedOn = batches,
            Examples = examples.Count,
            L2 = l2,
            CorpusPrototypes = corpus.Shipped(),
            CorpusCases = corpus.CasesWithout([]),
            CorpusText = corpus.TextWithout([]),
            Confirmed = FitConfirmedBoost(examples, heldOutModels),
            CrossValidated = [.. batches.Select(b => Estimate(b, [.. predictions.Where(p => p.Scenario.Batch == b)]))],
        };
        var shipped = new CauseModel(final);
        var shippedFixes = new RemediationModel(fixes.Model);
        var ms = new List<double>();
        var training = examples.Select(e =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var prediction = Predict(shipped, shippedFixes, e);
            ms.Add(e.ReadMs + clock.Elapsed.TotalMilliseconds);
            return prediction;
        }).ToList();
        return new TrainingResult(final, predictions, training) { ReasoningMs = [.. ms.Order()] };
    }

    /// <summary>
    /// How many groups of whole batches the inner choice of a held-out model's L2 penalty, temperature and threshold
    /// leaves out in turn. It was leave-one-batch-out (B−1 fits per grid point inside each of B outer fits: ~B² fits,
    /// 26 minutes on 38 batches); five groups keep what it measures (every prediction is of batches the inner fit never
    /// saw, so a penalty is still chosen for authors it has not read) at a fifth of the batches' cost. Fewer groups would
    /// fit on ~80 % of the batches and lean the choice to more penalty than the full fit needs; more buy little: the
    /// choice is among six penalties a factor of three apart.
    /// </summary>
    public const int InnerFolds = 5;

    /// <summary>
    /// A model from <paramref name="train"/> alone, never seeing the <paramref name="excluded"/> batches (one group of
    /// <see cref="BatchGroups"/>): its L2 penalty, temperature and threshold chosen on its own inner grouped
    /// cross-validation (<see cref="InnerFolds"/>), its corpus prototypes, neighbours and text model from its batches.
    /// </summary>
    public static CauseModel Fit(IReadOnlyList<TrainingExample> train, CorpusReference corpus, IReadOnlyCollection<string> excluded)
    {
        var (l2, temperature, unseen) = ChooseL2(train, corpus, excluded, BatchGroups.Of(train.Select(e => e.Scenario.Batch), InnerFolds));
        return new CauseModel(new CauseModelWeights(CauseEvidence.FeatureNames, CauseModelFit.Weights(corpus.Project(train, excluded), l2), temperature, CauseModelFit.UnknownBelow(unseen, temperature))
        {
            L2 = l2,
            CorpusPrototypes = corpus.Without(excluded),
            CorpusCases = corpus.CasesWithout(excluded),
            CorpusText = corpus.TextWithout(excluded),
        });
    }

    /// <summary>
    /// The L2 penalty of <see cref="CauseModelFit.L2Grid"/> whose cross-validated predictions over
    /// <paramref name="examples"/> have the least log loss once calibrated, with the temperature that calibrates them and
    /// those predictions (each example beside the weights fitted without its group of batches, read against corpus
    /// prototypes without that group and the <paramref name="excluded"/> ones), held out by the <paramref name="groups"/>
    /// of batches in turn.
    /// </summary>
    public static (double L2, double Temperature, List<UnseenScores> Unseen) ChooseL2(IReadOnlyList<TrainingExample> examples, CorpusReference corpus, IReadOnlyCollection<string> excluded, IReadOnlyList<IReadOnlySet<string>> groups)
    {
        // Each group's fits walk the grid from the strongest penalty down, each starting from the previous one's weights
        // (a warm start: the objective is convex, so the optimum is the same, reached in fewer Newton steps); the groups
        // run in parallel.
        var perGroup = groups.AsParallel().AsOrdered().Select(left =>
        {
            string[] without = [.. excluded, .. left];
            var train = corpus.Project(examples.Where(e => !left.Contains(e.Scenario.Batch)), without);
            var test = corpus.Project(examples.Where(e => left.Contains(e.Scenario.Batch)), without);
            var weights = new Dictionary<double, double[]>();
            double[]? start = null;
            foreach (var l2 in CauseModelFit.L2Grid.OrderDescending())
            {
                start = weights[l2] = CauseModelFit.Weights(train, l2, start);
            }

            return (Test: test, Weights: weights);
        }).ToList();
        return CauseModelFit.L2Grid.AsParallel().AsOrdered().Select(l2 =>
        {
            var unseen = perGroup.SelectMany(g => g.Test.Select(e => UnseenScores.Of(e, g.Weights[l2]))).ToList();
            var temperature = CauseModelFit.Temperature(unseen);
            return (L2: l2, Temperature: temperature, Unseen: unseen, Loss: CauseModelFit.LogLoss(unseen, temperature));
        }).ToList().MinBy(x => x.Loss) is var best ? (best.L2, best.Temperature, best.Unseen) : default;
    }

    /// <summary>
    /// Fits the confirmed-case boost on a simulation of confirmations: each read batch is predicted by the model fitted
    /// without its group, and every other incident of that batch (with a known cause) stands for a case a responder confirmed
    /// earlier. The nearest such case moves probability to its cause by <see cref="ConfirmedBoost.Share"/>; the
    /// threshold, slope and cap are the ones that minimise the log loss of the right causes; when no boost lowers it, the
    /// hand-set one (<see cref="ConfirmedBoost.HandSet"/>) is kept and the simulation's figures say why.
    /// (The simulated cases do not also join the case base, as real ones do: this measures the boost alone.)
    /// </summary>
    private static readonly double[] BandsFrom = [0.5, 0.6, 0.7, 0.8, 0.9];

    public static ConfirmedBoost FitConfirmedBoost(IReadOnlyList<TrainingExample> examples, IReadOnlyDictionary<string, CauseModel> heldOutModels)
    {
        var unknown = CauseEvidence.Candidates.Count - 1;
        var cases = examples.Select(e =>
        {
            var neighbour = examples.Where(o => o.Scenario.Batch == e.Scenario.Batch && !ReferenceEquals(o, e) && o.Label != unknown)
                .Select(o => (o.Label, Similarity: SentenceEmbedder.Cosine(e.Embedding, o.Embedding))).MaxBy(x => x.Similarity);
            return (e.Label, P: heldOutModels[e.Scenario.Batch].Probabilities(e.Evidence), Neighbour: neighbour.Label, neighbour.Similarity);
        }).ToList();
        double LogLoss(ConfirmedBoost boost) =>
            cases.Average(c => -Math.Log(Math.Max(1e-12, ConfirmedBoost.Apply(c.P, c.Neighbour, boost.Share(c.Similarity))[c.Label])));

        var best = ConfirmedBoost.None;
        var without = LogLoss(best);
        var bestLoss = without;
        for (var near = 0.5; near <= 0.951; near += 0.05)
        {
            foreach (var slope in new[] { 1.0, 2, 4, 8, 16 })
            {
                for (var cap = 0.1; cap <= 0.91; cap += 0.1)
                {
                    var boost = new ConfirmedBoost(Math.Round(near, 2), slope, Math.Round(cap, 1));
                    var loss = LogLoss(boost);
                    (best, bestLoss) = loss < bestLoss - 1e-9 ? (boost, loss) : (best, bestLoss);
                }
            }
        }

        var fitted = best != ConfirmedBoost.None;
        best = fitted ? best : ConfirmedBoost.HandSet;
        var close = cases.Where(c => c.Similarity >= best.Near).ToList();
        return best with
        {
            Fitted = fitted,
            Simulated = close.Count,
            NeighbourRight = close.Count == 0 ? 0 : Math.Round((double)close.Count(c => c.Neighbour == c.Label) / close.Count, 3),
            LogLossWithout = Math.Round(without, 4),
            LogLossWith = Math.Round(fitted ? bestLoss : LogLoss(best), 4),
            Bands = [.. BandsFrom.Select(from => cases.Where(c => c.Similarity >= from).ToList() is var inside
                ? new ConfirmedBand(from, inside.Count, inside.Count(c => c.Neighbour == c.Label)) : null!)],
        };
    }

    /// <summary>The answer the worker would give (the diagnosis agent's listing rules, then the remediation choice).</summary>
    public static Prediction Predict(CauseModel model, RemediationModel fixes, TrainingExample example)
    {
        var p = model.Probabilities(example.Evidence);
        var hypotheses = fixes.Suggest(model.Hypotheses(example.Evidence, p), example.Evidence)
            .Select(h => new Hypothesis(h.Category, h.Cause, h.Confidence, h.Evidence) { SuggestedRemediation = h.SuggestedRemediation, Service = h.Service, IncidentId = h.IncidentId }).ToList();
        List<Hypothesis> listed = hypotheses is [var first, ..] && first.Confidence >= DiagnosisAgent.MinimumConfidence
            ? [first, .. hypotheses.Skip(1).Where(h => h.Confidence >= DiagnosisAgent.ListedConfidence).Take(2)]
            : [];
        var diagnosis = new DiagnosisResult(listed, listed.Count == 0, string.Empty)
        {
            RecentChanges = RecentChanges(example.Scenario),
        };
        var remediation = RemediationChoice.For(diagnosis) is [var firstFix, ..] ? firstFix.Id : null;
        var passedOver = string.Empty;
        if (listed.Count == 0)
        {
            var best = Enumerable.Range(0, CauseEvidence.Categories.Count).MaxBy(i => p[i]);
            var cause = example.Evidence.Causes[best];
            passedOver = $"likeliest cause {cause.Category} {p[best]:0.00} against unknown {p[^1]:0.00} ({(cause.Evidence.Count == 0 ? "no evidence" : string.Join("; ", cause.Evidence))})";
        }

        return new Prediction(example.Scenario, [.. listed.Select(h => h.Category)], listed.Count == 0, listed.Count == 0 ? null : listed[0].Confidence, remediation,
            listed.Count == 0 ? string.Empty : string.Join("; ", listed[0].Evidence)) { PassedOver = passedOver, Probabilities = p };
    }

    /// <summary>The recent changes the diagnosis lists (the service's own, each marked when harmless), as the worker's agent does.</summary>
    public static IReadOnlyList<string> RecentChanges(TrainingScenario scenario) =>
        [.. scenario.Changes.Where(c => !NamedServices.IsNamed(scenario.Incident, c)).Select(c => HarmlessChanges.Listed(c, scenario.Incident.OccurredAt))];

    public static BatchEstimate Estimate(string batch, IReadOnlyList<Prediction> of)
    {
        var known = of.Where(p => p.Scenario.Category != IncidentCategories.Unknown).ToList();
        return new BatchEstimate(batch, of.Count, Share(of, p => p.Top1), Share(of, p => p.Top3), Share(of, p => p.RemediationMatches), Share(known, p => p.Unknown));
    }

    private static double Share(IReadOnlyList<Prediction> of, Func<Prediction, bool> hit) => of.Count == 0 ? 0 : Math.Round((double)of.Count(hit) / of.Count, 4);
}
