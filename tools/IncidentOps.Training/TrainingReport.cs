using System.Globalization;
using System.Text;
using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Training;

/// <summary>The cross-validated figures, their calibration (Brier, reliability table) and every miss with the evidence that misled.</summary>
public static class TrainingReport
{
    public static string Text(TrainingResult result, bool misses = true)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var model = result.Model;
        text.AppendLine(c, $"cause model: {model.Weights.Count} weights on {model.Examples} scenarios of {string.Join(", ", model.TrainedOn)}; L2 {model.L2:0.####} (cross-validated); temperature {model.Temperature:0.00}, 'unknown' below {model.UnknownBelow:0.000}");
        var boost = model.Confirmed;
        text.AppendLine(c, $"confirmed-case boost ({(boost.Fitted ? "fitted" : "hand-set: no boost lowered the log loss")} on a simulation: each held-out batch's other incidents as confirmed cases): share min({boost.Cap:0.0}, (similarity - {boost.Near:0.00}) x {boost.Slope:0}); "
            + $"{boost.Simulated} of {model.Examples} incidents had a confirmed case that near, its cause was theirs in {boost.NeighbourRight:P0}; log loss {boost.LogLossWithout:0.000} without, {boost.LogLossWith:0.000} with");
        text.AppendLine(c, $"  nearest confirmed case at least: {string.Join("; ", boost.Bands.Select(band => string.Create(c, $"{band.From:0.0}: {band.Count} incidents, same cause {band.SameCause}")))}");
        text.AppendLine(c, $"text model: {model.CorpusText?.Weights.Count ?? 0} weighed features over {CauseEvidence.Candidates.Count} candidates (L2 {CauseTextFit.L2:0.####})");
        text.AppendLine(c, $"cross-validated ({BatchGroups.Count} groups of batches; each batch predicted by a model trained without its group):");
        foreach (var b in model.CrossValidated.Append(CauseModelTraining.Estimate("overall", result.CrossValidated)))
        {
            var batchBrier = Reliability([.. result.CrossValidated.Where(p => b.Batch == "overall" || p.Scenario.Batch == b.Batch)]).Brier;
            text.AppendLine(c, $"  {b.Batch,-9} n {b.N,3}  top-1 {b.Top1,4:P0}  top-3 {b.Top3,4:P0}  remediation {b.Remediation,4:P0}  unknown {b.UnknownRate,3:P0}  Brier {batchBrier:0.000}");
        }

        var t = CauseModelTraining.Estimate("training", result.Training);
        text.AppendLine(c, $"  (training accuracy of the shipped model on the same batches: top-1 {t.Top1:P0} top-3 {t.Top3:P0} remediation {t.Remediation:P0})");
        if (result.ReasoningMs.Count > 0)
        {
            var ms = result.ReasoningMs;
            text.AppendLine(c, $"  local reasoning per incident (evidence incl. the MiniLM embedding, then the model), {ms.Count} incidents: p50 {ms[(ms.Count - 1) / 2]:0.0} ms, p95 {ms[(int)Math.Ceiling(ms.Count * 0.95) - 1]:0.0} ms, max {ms[^1]:0.0} ms");
        }

        var (brier, buckets) = Reliability(result.CrossValidated);
        text.AppendLine(c, $"calibration of the cross-validated first answers: Brier {brier:0.000}");
        text.AppendLine("  confidence   count  mean conf  accuracy");
        foreach (var (from, to, count, mean, accuracy) in buckets)
        {
            text.AppendLine(c, $"  {from:0.0}-{to:0.0}    {count,6}  {(count == 0 ? "-" : mean.ToString("0.00", c)),9}  {(count == 0 ? "-" : accuracy.ToString("P0", c)),8}");
        }

        foreach (var miss in misses ? result.CrossValidated.Where(p => !p.Top1 || !p.RemediationMatches) : [])
        {
            text.AppendLine(c, $"  miss {miss.Scenario.Batch}/{miss.Scenario.Id}: said [{string.Join(", ", miss.Categories)}]{(miss.Unknown ? " (unknown)" : "")} {miss.Confidence:0.00}"
                + $", remediation {miss.FirstRemediation ?? "none"} (expected {miss.Scenario.Category}, {miss.Scenario.Remediation ?? "none"}); evidence that led: {(miss.TopEvidence.Length == 0 ? "none" : miss.TopEvidence)}{(miss.PassedOver.Length == 0 ? "" : "; " + miss.PassedOver)}");
        }

        return text.ToString();
    }

    /// <summary>The first-fix model: its penalty, and per cause the cross-validated right first fixes (right cause given), the model's against the rules'.</summary>
    public static string Remediations(RemediationModelWeights fixes)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"first-fix model: {fixes.Causes.Sum(x => x.Value.Weights.Count)} weighed features over {fixes.Causes.Count} causes; L2 {fixes.L2:0.####} (cross-validated)");
        text.AppendLine("  cross-validated right first fixes, the right cause given: cause, scenarios, model, rules");
        foreach (var e in fixes.CrossValidated)
        {
            text.AppendLine(c, $"  {e.Cause,-20} {e.N,4}  model {e.Model,4}  rules {e.Rules,4}  {(e.Kept ? "model kept" : "rules kept")}");
        }

        text.AppendLine(c, $"  {"overall",-20} {fixes.CrossValidated.Sum(e => e.N),4}  model {fixes.CrossValidated.Sum(e => e.Model),4}  rules {fixes.CrossValidated.Sum(e => e.Rules),4}  shipped {fixes.CrossValidated.Sum(e => e.Kept ? e.Model : e.Rules),4}");
        return text.ToString();
    }

    /// <summary>
    /// One tab-separated line per prediction: batch, scenario, expected cause and fix, the answer (the causes listed, or
    /// "unknown"), the first fix given, then each candidate's probability (<see cref="CauseEvidence.Candidates"/> order).
    /// </summary>
    public static IEnumerable<string> Predictions(IReadOnlyList<Prediction> predictions) =>
        [string.Join('\t', ["batch", "scenario", "expected", "expected_fix", "answer", "fix", .. CauseEvidence.Candidates]),
         .. predictions.Select(p => string.Join('\t', [p.Scenario.Batch, p.Scenario.Id, p.Scenario.Category, p.Scenario.Remediation ?? "none",
             p.Unknown ? "unknown" : string.Join(',', p.Categories), p.FirstRemediation ?? "none",
             .. p.Probabilities.Select(x => x.ToString("0.#####", CultureInfo.InvariantCulture))]))];

    /// <summary>
    /// Over the answers that name a cause: the Brier score of the first cause's confidence (mean squared gap between it
    /// and being right) and five buckets of (count, mean confidence, accuracy).
    /// </summary>
    public static (double Brier, IReadOnlyList<(double From, double To, int Count, double Mean, double Accuracy)> Buckets) Reliability(IReadOnlyList<Prediction> predictions)
    {
        var named = predictions.Where(p => p is { Unknown: false, Confidence: not null }).Select(p => (P: p.Confidence!.Value, Right: p.Top1 ? 1.0 : 0.0)).ToList();
        var brier = named.Count == 0 ? double.NaN : named.Average(x => (x.P - x.Right) * (x.P - x.Right));
        return (brier, [.. Enumerable.Range(0, 5).Select(i =>
        {
            var (from, to) = (i * 0.2, (i + 1) * 0.2);
            var inside = named.Where(x => x.P >= from && (x.P < to || (i == 4 && x.P <= 1))).ToList();
            return (from, to, inside.Count, inside.Count == 0 ? 0 : inside.Average(x => x.P), inside.Count == 0 ? 0 : inside.Average(x => x.Right));
        })]);
    }
}
