using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Training;

/// <summary>
/// Fits the cause model: L2-regularised maximum likelihood of the conditional logit by full-batch gradient descent
/// (Adam), then a temperature and an "unknown" threshold on predictions for examples the fit had not seen.
/// Written by hand: ~40 weights over ~170 examples converge in well under a second, and ML.NET's multiclass trainers
/// have no shared-weights (per-candidate features) form.
/// </summary>
public static class CauseModelFit
{
    /// <summary>L2 penalty per weight (on the mean log-likelihood): keeps ~40 weights from memorising ~170 incidents.</summary>
    public const double L2 = 0.01;

    private const int Steps = 3000;

    public static double[] Weights(IReadOnlyList<TrainingExample> examples)
    {
        var n = CauseEvidence.FeatureNames.Count;
        var w = new double[n];
        var (m, v) = (new double[n], new double[n]);
        const double rate = 0.05, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
        for (var step = 1; step <= Steps; step++)
        {
            var gradient = new double[n];
            foreach (var example in examples)
            {
                var p = CauseModel.Softmax(example.Vectors, w, 1);
                for (var c = 0; c < p.Length; c++)
                {
                    var error = p[c] - (c == example.Label ? 1 : 0);
                    var x = example.Vectors[c];
                    for (var f = 0; f < n; f++)
                    {
                        gradient[f] += error * x[f] / examples.Count;
                    }
                }
            }

            for (var f = 0; f < n; f++)
            {
                var g = gradient[f] + (L2 * w[f]);
                m[f] = (beta1 * m[f]) + ((1 - beta1) * g);
                v[f] = (beta2 * v[f]) + ((1 - beta2) * g * g);
                var mHat = m[f] / (1 - Math.Pow(beta1, step));
                var vHat = v[f] / (1 - Math.Pow(beta2, step));
                w[f] -= rate * mHat / (Math.Sqrt(vHat) + epsilon);
            }
        }

        return w;
    }

    /// <summary>The temperature that minimises the log loss of unseen predictions (scores at temperature 1): calibration.</summary>
    public static double Temperature(IReadOnlyList<(TrainingExample Example, double[] Weights)> unseen)
    {
        double LogLoss(double t) => unseen.Average(u => -Math.Log(Math.Max(1e-12, CauseModel.Softmax(u.Example.Vectors, u.Weights, t)[u.Example.Label])));
        var best = 1.0;
        for (var t = 0.2; t <= 5.0; t += 0.01)
        {
            best = LogLoss(t) < LogLoss(best) ? t : best;
        }

        return Math.Round(best, 2);
    }

    /// <summary>
    /// The probability under which the answer is "unknown": the one of 0.20..0.60 that answers most unseen examples
    /// right while saying "unknown" to at most 5 % of known causes (the target), the lowest of equals.
    /// </summary>
    public static double UnknownBelow(IReadOnlyList<(TrainingExample Example, double[] Weights)> unseen, double temperature)
    {
        var predictions = unseen.Select(u => (u.Example, P: CauseModel.Softmax(u.Example.Vectors, u.Weights, temperature))).ToList();
        var unknown = CauseEvidence.Candidates.Count - 1;
        var best = (Threshold: LocalReasoner.MinimumConfidence, Right: -1);
        for (var threshold = LocalReasoner.MinimumConfidence; threshold <= 0.6 + 1e-9; threshold += 0.025)
        {
            var answers = predictions.Select(x => (x.Example, Answer: Answer(x.P, threshold, unknown))).ToList();
            var known = answers.Where(a => a.Example.Label != unknown).ToList();
            if (known.Count(a => a.Answer == unknown) > 0.05 * known.Count)
            {
                break;
            }

            var right = answers.Count(a => a.Answer == a.Example.Label);
            best = right > best.Right ? (threshold, right) : best;
        }

        return Math.Round(best.Threshold, 3);
    }

    private static int Answer(double[] p, double threshold, int unknown)
    {
        var top = Array.IndexOf(p, p.Max());
        return top == unknown || p[top] < threshold ? unknown : top;
    }
}
