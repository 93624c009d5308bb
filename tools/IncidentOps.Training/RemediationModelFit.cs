using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Resolution;
using IncidentOps.Core.Ai;

namespace IncidentOps.Training;

/// <summary>
/// Fits the first-fix model (<see cref="RemediationModel"/>): per cause whose scenarios chose more than one first fix, a
/// multinomial logit over the fixes from the features <see cref="RemediationModel.Features"/> reads, by gradient descent
/// on the L2-penalised log loss (sparse binary features: a few thousand words per cause, a few hundred examples; written
/// by <see cref="SoftmaxRegression"/>). The penalty is chosen, and each cause kept or left to the rules, on cross-validated
/// predictions (<see cref="BatchGroups"/>) with the right cause given: what the model adds is the fix within a cause.
/// </summary>
/// <summary>The shipped first-fix model and, per read batch, the one fitted without its group of batches.</summary>
public sealed record RemediationTraining(RemediationModelWeights Model, IReadOnlyDictionary<string, RemediationModel> HeldOut);

public static class RemediationModelFit
{
    /// <summary>
    /// The penalties tried. One: on the words alone, the best of 0.0003-0.01 (300 steps) and the best of 0.00003-0.001
    /// (500) got the same leave-one-batch-out count of right first fixes but one (3,391 and 3,392 of 3,720), the fixed
    /// number of descent steps (<see cref="Iterations"/>) regularising as much as the penalty; each penalty tried is
    /// another cross-validation in the Scenarios test.
    /// </summary>
    public static readonly double[] L2Grid = [0.0001];

    /// <summary>A fix chosen fewer times than this for a cause is not one of the model's classes (it counts as a miss).</summary>
    private const int MinFixExamples = 5;

    /// <summary>A feature seen in fewer of a cause's examples than this is not read (too rare to weigh).</summary>
    private const int MinFeatureExamples = 3;

    private const int Iterations = 500;

    private const double Step = 1.0;

    /// <summary>The examples of a cause with its first fix (unknowns and fixless scenarios are not examples).</summary>
    private static IEnumerable<(string Batch, string Cause, IReadOnlyDictionary<string, double> Features, string Fix, TrainingExample Example)> Labelled(IEnumerable<TrainingExample> examples) =>
        examples.Where(e => e.Scenario.Category != IncidentCategories.Unknown && e.Scenario.Remediation is not null)
            .Select(e => (e.Scenario.Batch, e.Scenario.Category, Features(e), e.Scenario.Remediation!, e));

    private static IReadOnlyDictionary<string, double> Features(TrainingExample e) =>
        RemediationModel.Features(e.Evidence, e.Evidence.Causes.First(c => c.Category == e.Scenario.Category));

    /// <summary>
    /// The model on every example, with the cross-validated estimate that chose its penalty and the causes it keeps,
    /// and per batch the model fitted without its group (for the causes kept): what the cause model's cross-validated
    /// predictions take their first fixes from.
    /// </summary>
    public static RemediationTraining Train(IReadOnlyList<TrainingExample> examples)
    {
        var labelled = Labelled(examples).ToList();
        var batches = labelled.Select(l => l.Batch).Distinct().Order(StringComparer.Ordinal).ToList();
        var rules = labelled.ToDictionary(l => l.Example, l => RulesFix(l.Example) == l.Fix);
        var byL2 = L2Grid.Select(l2 =>
        {
            var heldOut = BatchGroups.Of(batches, BatchGroups.Count).AsParallel().AsOrdered()
                .Select(held => (Held: held, Model: Fit(labelled.Where(l => !held.Contains(l.Batch)), l2)))
                .SelectMany(x => x.Held.Select(b => (Batch: b, x.Model)))
                .ToDictionary(x => x.Batch, x => x.Model, StringComparer.Ordinal);
            var right = labelled.Select(l => (l.Cause, Right: Fix(heldOut[l.Batch], l.Cause, l.Features, l.Example) == l.Fix)).ToList();
            return (L2: l2, Right: right, HeldOut: heldOut);
        }).ToList();
        var best = byL2.MaxBy(x => x.Right.Count(r => r.Right));
        var estimates = labelled.GroupBy(l => l.Cause).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g =>
        {
            var model = best.Right.Count(r => r.Cause == g.Key && r.Right);
            var byRules = g.Count(l => rules[l.Example]);
            return new RemediationEstimate(g.Key, g.Count(), model, byRules, model > byRules);
        }).ToList();
        var kept = estimates.Where(e => e.Kept).Select(e => e.Cause).ToHashSet(StringComparer.Ordinal);
        RemediationModel Kept(RemediationModelWeights w) => new(new RemediationModelWeights(w.Causes.Where(c => kept.Contains(c.Key)).ToDictionary(StringComparer.Ordinal)));
        var final = Fit(labelled.Where(l => kept.Contains(l.Cause)), best.L2);
        return new RemediationTraining(
            final with { TrainedAt = DateTimeOffset.UtcNow, TrainedOn = batches, L2 = best.L2, CrossValidated = estimates },
            best.HeldOut.ToDictionary(x => x.Key, x => Kept(x.Value), StringComparer.Ordinal));
    }

    /// <summary>The first fix the worker would propose with the right cause given: the model's suggestion, then the rules.</summary>
    private static string? Fix(RemediationModelWeights fitted, string cause, IReadOnlyDictionary<string, double> features, TrainingExample example)
    {
        var model = new RemediationModel(fitted);
        return model.Rank(cause, features) is [var (fix, _), ..] ? FirstFix(example, fix) : RulesFix(example);
    }

    /// <summary>The first fix of the current rules with the right cause given (the incident's own evidence, the nearest case).</summary>
    private static string? RulesFix(TrainingExample example)
    {
        var cause = example.Evidence.Causes.First(c => c.Category == example.Scenario.Category);
        return FirstFix(example, cause.RemediationSaid ?? cause.Remediation);
    }

    private static string? FirstFix(TrainingExample example, string? suggested)
    {
        var hypothesis = new Hypothesis(example.Scenario.Category, example.Scenario.Category, 0.9, []) { SuggestedRemediation = suggested };
        var diagnosis = new DiagnosisResult([hypothesis], false, string.Empty) { RecentChanges = CauseModelTraining.RecentChanges(example.Scenario) };
        return RemediationChoice.For(diagnosis) is [var first, ..] ? first.Id : null;
    }

    private static RemediationModelWeights Fit(IEnumerable<(string Batch, string Cause, IReadOnlyDictionary<string, double> Features, string Fix, TrainingExample Example)> labelled, double l2) =>
        new(labelled.GroupBy(l => l.Cause).Select(g => (Cause: g.Key, Model: FitCause([.. g.Select(l => (l.Features, l.Fix))], l2)))
            .Where(x => x.Model is not null).ToDictionary(x => x.Cause, x => x.Model!, StringComparer.Ordinal));

    private static CauseRemediations? FitCause(IReadOnlyList<(IReadOnlyDictionary<string, double> Features, string Fix)> data, double l2)
    {
        var fixes = data.GroupBy(d => d.Fix).Where(g => g.Count() >= MinFixExamples)
            .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Select(g => g.Key).ToList();
        if (fixes.Count < 2)
        {
            return null;
        }

        var used = data.Where(d => fixes.Contains(d.Fix)).ToList();
        var vocabulary = SoftmaxRegression.Vocabulary(used.Select(d => d.Features), MinFeatureExamples);
        var fitted = SoftmaxRegression.Fit(SoftmaxRegression.Rows(used.Select(d => d.Features), vocabulary), [.. used.Select(d => fixes.IndexOf(d.Fix))],
            vocabulary.Count, fixes.Count, l2, Iterations, Step);
        var weights = SoftmaxRegression.Named(fitted, vocabulary, fixes.Count);
        return new CauseRemediations(fixes, [.. fitted.Bias.Select(b => Math.Round(b, 4))], weights);
    }
}
