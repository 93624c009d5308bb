using IncidentOps.Agents.Ai.Reasoning;
using MathNet.Numerics.LinearAlgebra;

namespace IncidentOps.Training;

/// <summary>
/// Fits the cause model: L2-regularised maximum likelihood of the conditional logit by Newton's method (the objective
/// is convex and has ~50 weights: a dozen exact steps, each one gradient, one Hessian and a Cholesky solve by Math.NET),
/// then a temperature and an "unknown" threshold on predictions for examples the fit had not seen. The likelihood and
/// its derivatives are written here because ML.NET's multiclass trainers have no shared-weights (per-candidate
/// features) form.
/// </summary>
public static class CauseModelFit
{
    /// <summary>The L2 penalties the cross-validation chooses from (per weight, on the mean log-likelihood).</summary>
    public static readonly double[] L2Grid = [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03];

    private const int MaxSteps = 50;

    /// <summary>The weights that minimise <see cref="Objective"/>, from <paramref name="start"/> (a warm start) or zero.</summary>
    public static double[] Weights(IReadOnlyList<TrainingExample> examples, double l2, double[]? start = null)
    {
        var n = CauseEvidence.FeatureNames.Count;
        var w = start is null ? new double[n] : (double[])start.Clone();
        var objective = Objective(examples, w, l2);
        for (var step = 0; step < MaxSteps; step++)
        {
            var (gradient, hessian) = Derivatives(examples, w, l2);
            var direction = hessian.Cholesky().Solve(gradient);
            // Damped: halve the step until the objective falls (a pure Newton step can overshoot far from the optimum).
            for (var scale = 1.0; scale > 1e-4; scale /= 2)
            {
                var next = w.Select((x, i) => x - (scale * direction[i])).ToArray();
                var value = Objective(examples, next, l2);
                if (value <= objective)
                {
                    var done = objective - value < 1e-10;
                    (w, objective) = (next, value);
                    if (done)
                    {
                        return w;
                    }

                    break;
                }
            }
        }

        return w;
    }

    /// <summary>Mean negative log-likelihood plus the L2 penalty (l2/2 · |w|²).</summary>
    private static double Objective(IReadOnlyList<TrainingExample> examples, double[] w, double l2) =>
        examples.Average(e => -Math.Log(Math.Max(1e-300, CauseModel.Softmax(e.Vectors, w, 1)[e.Label]))) + (l2 / 2 * w.Sum(x => x * x));

    private static (Vector<double> Gradient, Matrix<double> Hessian) Derivatives(IReadOnlyList<TrainingExample> examples, double[] w, double l2)
    {
        var n = w.Length;
        var gradient = new double[n];
        var hessian = new double[n, n];
        var mean = new double[n];
        foreach (var example in examples)
        {
            var p = CauseModel.Softmax(example.Vectors, w, 1);
            Array.Clear(mean);
            for (var c = 0; c < p.Length; c++)
            {
                var x = example.Vectors[c];
                var error = p[c] - (c == example.Label ? 1 : 0);
                for (var f = 0; f < n; f++)
                {
                    gradient[f] += error * x[f] / examples.Count;
                    mean[f] += p[c] * x[f];
                }
            }

            // Hessian of one example: the covariance of its candidates' vectors under p.
            for (var c = 0; c < p.Length; c++)
            {
                var x = example.Vectors[c];
                for (var f = 0; f < n; f++)
                {
                    if (x[f] == 0)
                    {
                        continue;
                    }

                    var a = p[c] * x[f] / examples.Count;
                    for (var g = 0; g < n; g++)
                    {
                        hessian[f, g] += a * x[g];
                    }
                }
            }

            for (var f = 0; f < n; f++)
            {
                for (var g = 0; g < n; g++)
                {
                    hessian[f, g] -= mean[f] * mean[g] / examples.Count;
                }
            }
        }

        for (var f = 0; f < n; f++)
        {
            gradient[f] += l2 * w[f];
            hessian[f, f] += l2;
        }

        return (Vector<double>.Build.DenseOfArray(gradient), Matrix<double>.Build.DenseOfArray(hessian));
    }

    /// <summary>Mean log loss of unseen predictions at a temperature.</summary>
    public static double LogLoss(IReadOnlyList<UnseenScores> unseen, double temperature) =>
        unseen.Average(u => -Math.Log(Math.Max(1e-12, CauseModel.Softmax(u.Scores, temperature)[u.Label])));

    /// <summary>
    /// The temperature that minimises the log loss of unseen predictions (scores at temperature 1): calibration. The
    /// scores are weighed once (<see cref="UnseenScores"/>); each of the ~500 temperatures tried only divides them.
    /// </summary>
    public static double Temperature(IReadOnlyList<UnseenScores> unseen)
    {
        var best = 1.0;
        var bestLoss = LogLoss(unseen, best);
        for (var t = 0.2; t <= 5.0; t += 0.01)
        {
            var loss = LogLoss(unseen, t);
            (best, bestLoss) = loss < bestLoss ? (t, loss) : (best, bestLoss);
        }

        return Math.Round(best, 2);
    }

    /// <summary>
    /// The probability under which the answer is "unknown": the one of 0.20..0.60 that answers most unseen examples
    /// right while saying "unknown" to at most 5 % of known causes (the target), the lowest of equals.
    /// </summary>
    public static double UnknownBelow(IReadOnlyList<UnseenScores> unseen, double temperature)
    {
        var predictions = unseen.Select(u => (u.Label, P: CauseModel.Softmax(u.Scores, temperature))).ToList();
        var unknown = CauseEvidence.Candidates.Count - 1;
        var best = (Threshold: LocalReasoner.MinimumConfidence, Right: -1);
        for (var threshold = LocalReasoner.MinimumConfidence; threshold <= 0.6 + 1e-9; threshold += 0.025)
        {
            var answers = predictions.Select(x => (x.Label, Answer: Answer(x.P, threshold, unknown))).ToList();
            var known = answers.Where(a => a.Label != unknown).ToList();
            if (known.Count(a => a.Answer == unknown) > 0.05 * known.Count)
            {
                break;
            }

            var right = answers.Count(a => a.Answer == a.Label);
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

/// <summary>An example predicted by weights fitted without it: each candidate's score at temperature 1, and the right candidate.</summary>
public readonly record struct UnseenScores(double[] Scores, int Label)
{
    public static UnseenScores Of(TrainingExample example, double[] weights) => new([.. example.Vectors.Select(v => CauseModel.Dot(v, weights))], example.Label);
}
