using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Resolution;

namespace IncidentOps.Training;

/// <summary>What the local engine would answer for one scenario with a given model: the causes, "unknown", the first fix.</summary>
public sealed record Prediction(TrainingScenario Scenario, IReadOnlyList<string> Categories, bool Unknown, double? Confidence, string? FirstRemediation, string TopEvidence)
{
    public bool Top1 => Scenario.Category == IncidentCategories.Unknown ? Unknown : !Unknown && Categories[0] == Scenario.Category;

    public bool Top3 => Scenario.Category == IncidentCategories.Unknown ? Unknown : !Unknown && Categories.Take(3).Contains(Scenario.Category);

    public bool RemediationMatches => FirstRemediation == Scenario.Remediation;
}

/// <summary>The model trained on every read batch, and each read batch's predictions by a model trained without it.</summary>
public sealed record TrainingResult(CauseModelWeights Model, IReadOnlyList<Prediction> LeaveOneBatchOut, IReadOnlyList<Prediction> Training)
{
    /// <summary>Per incident, the local engine's reasoning time (evidence + model), sorted.</summary>
    public IReadOnlyList<double> ReasoningMs { get; init; } = [];
}

/// <summary>
/// Training with honest estimates. For each read batch: a model fitted on the other batches (its temperature and
/// "unknown" threshold fitted, in turn, on predictions for the batch each inner fit left out) predicts this batch: the
/// leave-one-batch-out figure. The shipped model is fitted on every batch, its temperature and threshold on the outer
/// leave-one-batch-out predictions.
/// </summary>
public static class CauseModelTraining
{
    public static TrainingResult Train(IReadOnlyList<TrainingExample> examples)
    {
        var batches = examples.Select(e => e.Scenario.Batch).Distinct().Order(StringComparer.Ordinal).ToList();
        var predictions = new List<Prediction>();
        var unseen = new List<(TrainingExample, double[])>();
        foreach (var held in batches)
        {
            var train = examples.Where(e => e.Scenario.Batch != held).ToList();
            var model = Fit(train);
            var test = examples.Where(e => e.Scenario.Batch == held).ToList();
            predictions.AddRange(test.Select(e => Predict(model, e)));
            var raw = CauseModelFit.Weights(train);
            unseen.AddRange(test.Select(e => (e, raw)));
        }

        var weights = CauseModelFit.Weights(examples);
        var temperature = CauseModelFit.Temperature(unseen);
        var final = new CauseModelWeights(CauseEvidence.FeatureNames, [.. weights.Select(w => Math.Round(w, 5))], temperature, CauseModelFit.UnknownBelow(unseen, temperature))
        {
            TrainedAt = DateTimeOffset.UtcNow,
            TrainedOn = batches,
            Examples = examples.Count,
            LeaveOneBatchOut = [.. batches.Select(b => Estimate(b, [.. predictions.Where(p => p.Scenario.Batch == b)]))],
        };
        var shipped = new CauseModel(final);
        var ms = new List<double>();
        var training = examples.Select(e =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var prediction = Predict(shipped, e);
            ms.Add(e.ReadMs + clock.Elapsed.TotalMilliseconds);
            return prediction;
        }).ToList();
        return new TrainingResult(final, predictions, training) { ReasoningMs = [.. ms.Order()] };
    }

    /// <summary>A model from <paramref name="train"/> alone: weights on all of it, temperature and threshold on its own inner leave-one-batch-out.</summary>
    public static CauseModel Fit(IReadOnlyList<TrainingExample> train)
    {
        var inner = train.Select(e => e.Scenario.Batch).Distinct().ToList();
        var unseen = inner.SelectMany(b =>
        {
            var w = CauseModelFit.Weights([.. train.Where(e => e.Scenario.Batch != b)]);
            return train.Where(e => e.Scenario.Batch == b).Select(e => (e, w));
        }).ToList();
        var temperature = CauseModelFit.Temperature(unseen);
        return new CauseModel(new CauseModelWeights(CauseEvidence.FeatureNames, CauseModelFit.Weights(train), temperature, CauseModelFit.UnknownBelow(unseen, temperature)));
    }

    /// <summary>The answer the worker would give (the diagnosis agent's listing rules, then the remediation choice).</summary>
    public static Prediction Predict(CauseModel model, TrainingExample example)
    {
        var hypotheses = model.Hypotheses(example.Evidence)
            .Select(h => new Hypothesis(h.Category, h.Cause, h.Confidence, h.Evidence) { SuggestedRemediation = h.SuggestedRemediation }).ToList();
        List<Hypothesis> listed = hypotheses is [var first, ..] && first.Confidence >= DiagnosisAgent.MinimumConfidence
            ? [first, .. hypotheses.Skip(1).Where(h => h.Confidence >= DiagnosisAgent.ListedConfidence).Take(2)]
            : [];
        var diagnosis = new DiagnosisResult(listed, listed.Count == 0, string.Empty)
        {
            RecentChanges = [.. example.Scenario.Changes.Select(c => CauseEvidenceReader.DescribeChange(c, example.Scenario.Incident.OccurredAt))],
        };
        var remediation = RemediationChoice.For(diagnosis) is [var firstFix, ..] ? firstFix.Id : null;
        return new Prediction(example.Scenario, [.. listed.Select(h => h.Category)], listed.Count == 0, listed.Count == 0 ? null : listed[0].Confidence, remediation,
            listed.Count == 0 ? string.Empty : string.Join("; ", listed[0].Evidence));
    }

    public static BatchEstimate Estimate(string batch, IReadOnlyList<Prediction> of)
    {
        var known = of.Where(p => p.Scenario.Category != IncidentCategories.Unknown).ToList();
        return new BatchEstimate(batch, of.Count, Share(of, p => p.Top1), Share(of, p => p.Top3), Share(of, p => p.RemediationMatches), Share(known, p => p.Unknown));
    }

    private static double Share(IReadOnlyList<Prediction> of, Func<Prediction, bool> hit) => of.Count == 0 ? 0 : Math.Round((double)of.Count(hit) / of.Count, 4);
}
