using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Training;

/// <summary>
/// Fits the text model (<see cref="CauseTextModel"/>): a multinomial logit over the candidate causes on the features
/// <see cref="CauseTextModel.Features"/> reads, by <see cref="SoftmaxRegression"/> with the first-fix model's penalty and
/// schedule (where the fixed step count was measured to regularise as much as the penalty). The penalty is not chosen by
/// cross-validation, to keep the training's cost at one fit per group of batches: the cause model, which reads the text
/// model's log-probabilities and weighs them, is what the cross-validation fits and calibrates.
/// </summary>
public static class CauseTextFit
{
    public const double L2 = 0.0001;

    /// <summary>A feature seen in fewer examples than this is not read (too rare to weigh; it keeps the model file small).</summary>
    private const int MinFeatureExamples = 5;

    private const int Iterations = 500;

    private const double Step = 1.0;

    public static CauseTextWeights Fit(IReadOnlyList<TrainingExample> examples)
    {
        var features = examples.Select(e => (IReadOnlyDictionary<string, double>)CauseTextModel.Features(e.Evidence)).ToList();
        var vocabulary = SoftmaxRegression.Vocabulary(features, MinFeatureExamples);
        var classes = CauseEvidence.Candidates.Count;
        var fitted = SoftmaxRegression.Fit(SoftmaxRegression.Rows(features, vocabulary), [.. examples.Select(e => e.Label)], vocabulary.Count, classes, L2, Iterations, Step);
        return new CauseTextWeights([.. fitted.Bias.Select(b => Math.Round(b, 4))], SoftmaxRegression.Named(fitted, vocabulary, classes));
    }
}
