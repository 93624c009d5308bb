using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Training;

/// <summary>
/// A multinomial logit over sparse features, fitted by full-batch gradient descent on the L2-penalised mean log loss
/// (a fixed number of steps of a fixed size: on these data the step count regularises as much as the penalty). Shared by
/// the first-fix model (per cause, over its fixes) and the text model (over the candidate causes). Written by hand: ML.NET's
/// trainers would bring a second runtime into the training command for two dozen lines of arithmetic, and its sparse
/// multiclass trainer has no warm start or fixed-step schedule to reproduce the shipped fits.
/// </summary>
public static class SoftmaxRegression
{
    /// <summary>Every feature's weight per class (feature-major: <c>w[feature * classes + class]</c>) and each class's bias.</summary>
    public sealed record Fitted(double[] Weights, double[] Bias);

    public static Fitted Fit(IReadOnlyList<(int Index, double Value)[]> rows, IReadOnlyList<int> labels, int features, int classes, double l2, int iterations, double step)
    {
        int k = classes, n = rows.Count;
        var w = new double[features * k];
        var bias = new double[k];
        var gradient = new double[w.Length];
        var biasGradient = new double[k];
        var scores = new double[k];
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(biasGradient);
            for (var i = 0; i < n; i++)
            {
                bias.CopyTo(scores, 0);
                foreach (var (f, x) in rows[i])
                {
                    for (var c = 0; c < k; c++)
                    {
                        scores[c] += w[(f * k) + c] * x;
                    }
                }

                var p = CauseModel.Softmax(scores, 1);
                for (var c = 0; c < k; c++)
                {
                    var d = (p[c] - (labels[i] == c ? 1 : 0)) / n;
                    biasGradient[c] += d;
                    foreach (var (f, x) in rows[i])
                    {
                        gradient[(f * k) + c] += d * x;
                    }
                }
            }

            for (var j = 0; j < w.Length; j++)
            {
                w[j] -= step * (gradient[j] + (l2 * w[j]));
            }

            for (var c = 0; c < k; c++)
            {
                bias[c] -= step * biasGradient[c];
            }
        }

        return new Fitted(w, bias);
    }

    /// <summary>The features seen in at least <paramref name="minExamples"/> of the rows' feature sets, in ordinal order.</summary>
    public static List<string> Vocabulary(IEnumerable<IReadOnlyDictionary<string, double>> rows, int minExamples) =>
        [.. rows.SelectMany(r => r.Keys).GroupBy(f => f, StringComparer.Ordinal).Where(g => g.Count() >= minExamples).Select(g => g.Key).Order(StringComparer.Ordinal)];

    /// <summary>The rows as sparse (index, value) pairs over <paramref name="vocabulary"/> (features outside it dropped).</summary>
    public static (int Index, double Value)[][] Rows(IEnumerable<IReadOnlyDictionary<string, double>> rows, IReadOnlyList<string> vocabulary)
    {
        var index = vocabulary.Select((f, i) => (f, i)).ToDictionary(x => x.f, x => x.i, StringComparer.Ordinal);
        return [.. rows.Select(r => r.Where(f => index.ContainsKey(f.Key)).Select(f => (index[f.Key], f.Value)).ToArray())];
    }

    /// <summary>The fitted weights by feature name (rounded; a feature whose weights all round to 0 left out).</summary>
    public static Dictionary<string, double[]> Named(Fitted fitted, IReadOnlyList<string> vocabulary, int classes) =>
        vocabulary.Select((f, i) => (f, W: Enumerable.Range(0, classes).Select(c => Math.Round(fitted.Weights[(i * classes) + c], 4)).ToArray()))
            .Where(x => x.W.Any(v => v != 0)).ToDictionary(x => x.f, x => x.W, StringComparer.Ordinal);
}
