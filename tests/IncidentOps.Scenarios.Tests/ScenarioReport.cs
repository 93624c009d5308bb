using System.Globalization;
using System.Text;
using IncidentOps.Training;

namespace IncidentOps.Scenarios.Tests;

/// <summary>Accuracy figures of a set of outcomes: top-1, top-3, first remediation, and how often a known cause was answered "unknown".</summary>
public sealed record Figures(int N, double Top1, double Top3, double Remediation, double UnknownRate)
{
    public static Figures Of(IReadOnlyCollection<ScenarioOutcome> outcomes)
    {
        double Share(Func<ScenarioOutcome, bool> hit, IReadOnlyCollection<ScenarioOutcome> of) => of.Count == 0 ? 0 : (double)of.Count(hit) / of.Count;
        var known = outcomes.Where(o => !o.Scenario.ExpectsUnknown).ToList();
        return new Figures(outcomes.Count, Share(o => o.Top1, outcomes), Share(o => o.Top3, outcomes), Share(o => o.RemediationMatches, outcomes), Share(o => o.Unknown, known));
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"n {N,3}  top-1 {Top1,4:P0}  top-3 {Top3,4:P0}  remediation {Remediation,4:P0}  unknown {UnknownRate,3:P0}");
}

/// <summary>
/// Calibration of the first hypothesis's confidence: over every incident where the engine named a cause, the Brier
/// score (mean squared gap between the confidence and being right, 0 is perfect) and a reliability table (per
/// confidence bucket: how many, their mean confidence, and how often they were right).
/// </summary>
public sealed record Calibration(int N, double Brier, IReadOnlyList<(double From, double To, int Count, double MeanConfidence, double Accuracy)> Buckets)
{
    public static Calibration Of(IEnumerable<ScenarioOutcome> outcomes)
    {
        var named = outcomes.Where(o => !o.Unknown && o.Confidence is not null).Select(o => (P: o.Confidence!.Value, Right: o.Top1 ? 1.0 : 0.0)).ToList();
        var brier = named.Count == 0 ? double.NaN : named.Average(x => (x.P - x.Right) * (x.P - x.Right));
        var buckets = Enumerable.Range(0, 5).Select(i =>
        {
            var (from, to) = (i * 0.2, (i + 1) * 0.2);
            var inside = named.Where(x => x.P >= from && (x.P < to || (i == 4 && x.P <= 1))).ToList();
            return (from, to, inside.Count, inside.Count == 0 ? double.NaN : inside.Average(x => x.P), inside.Count == 0 ? double.NaN : inside.Average(x => x.Right));
        }).ToList();
        return new Calibration(named.Count, brier, buckets);
    }
}

/// <summary>The report the Scenarios tests print (and write to $TMPDIR/incidentops-scenarios.txt, which scripts/test.sh shows).</summary>
public static class ScenarioReport
{
    public static string Text(IReadOnlyList<ScenarioBatch> batches, IReadOnlyList<ScenarioOutcome> outcomes, TrainingResult training)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        var all = Figures.Of(outcomes);
        // A batch the engine's authors have not read (waiting for, or just past, its one held-out scoring) shows only its
        // figures: its scenarios, misses and evidence stay unread, since whoever reads a CI log would read them.
        var readFolders = batches.Where(b => b.ReadByEngineAuthors).Select(b => b.Folder).ToHashSet(StringComparer.Ordinal);
        var read = outcomes.Where(o => readFolders.Contains(o.Scenario.Batch)).ToList();
        var ms = outcomes.Select(o => o.Took.TotalMilliseconds).Order().ToArray();
        text.AppendLine(c, $"Diagnosis on {outcomes.Count} scenarios (local engine, each replayed through the real worker on an empty store)");
        text.AppendLine(c, $"  overall: {all}; latency per incident p50 {Percentile(ms, 0.5):0} ms, p95 {Percentile(ms, 0.95):0} ms");
        var unknowns = outcomes.Where(o => o.Scenario.ExpectsUnknown).ToList();
        text.AppendLine(c, $"  'unknown' answered where the answer is unknown: {unknowns.Count(o => o.Unknown)}/{unknowns.Count}; 'unknown' rate above is over scenarios with a known cause");
        text.AppendLine("  per batch (held-out = its one scoring before anyone who changes the engine read it):");
        foreach (var batch in batches)
        {
            var of = outcomes.Where(o => o.Scenario.Batch == batch.Folder).ToList();
            var held = batch.HeldOut is { } h
                ? string.Create(c, $"held-out (scored {h.ScoredAt:yyyy-MM-dd} on {h.EngineCommit}, read when scored: no): top-1 {h.Top1:P0} top-3 {h.Top3:P0} remediation {h.Remediation:P0} unknown {h.UnknownRate:P0}")
                : "held-out: none (read when scored: yes, the engine was developed on it)";
            text.AppendLine(c, $"    {batch.Folder} ({batch.Author}; read by engine authors now: {(batch.ReadByEngineAuthors ? "yes" : "no")})");
            text.AppendLine(c, $"      {held}");
            var cv = training.Model.CrossValidated.FirstOrDefault(e => e.Batch == batch.Folder);
            text.AppendLine(cv is null
                ? "      cross-validated: none (not read: not trained on)"
                : string.Create(c, $"      cross-validated (trained without its group of batches): n {cv.N,3}  top-1 {cv.Top1,4:P0}  top-3 {cv.Top3,4:P0}  remediation {cv.Remediation,4:P0}  unknown {cv.UnknownRate,3:P0}"));
            text.AppendLine(c, $"      current ({(batch.ReadByEngineAuthors ? "trained on it: training accuracy" : "not trained on")}): {Figures.Of(of)}");
        }

        text.AppendLine(c, $"  by difficulty and by cause: the {read.Count} scenarios of read batches only");
        foreach (var difficulty in read.GroupBy(o => o.Scenario.Difficulty ?? "unrated").OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(c, $"  difficulty {difficulty.Key,-9} {Figures.Of([.. difficulty])}");
        }

        foreach (var group in read.GroupBy(o => o.Scenario.Category).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(c, $"  {group.Key,-22} top-1 {group.Count(o => o.Top1)}/{group.Count()}  top-3 {group.Count(o => o.Top3)}/{group.Count()}  remediation {group.Count(o => o.RemediationMatches)}/{group.Count()}");
        }

        text.AppendLine("  the cross-validated predictions (the honest estimate: calibration and every miss):");
        text.AppendLine(string.Join('\n', TrainingReport.Text(training).TrimEnd().Split('\n').Select(line => "    " + line)));
        var calibration = Calibration.Of(read);
        text.AppendLine(c, $"  through the worker (training accuracy on read batches): calibration of the first hypothesis's confidence over {calibration.N} named causes: Brier {calibration.Brier:0.000}");
        text.AppendLine("    confidence   count  mean conf  accuracy");
        foreach (var (from, to, count, mean, accuracy) in calibration.Buckets)
        {
            text.AppendLine(c, $"    {from:0.0}-{to:0.0}    {count,6}  {(double.IsNaN(mean) ? "-" : mean.ToString("0.00", c)),9}  {(double.IsNaN(accuracy) ? "-" : accuracy.ToString("P0", c)),8}");
        }

        text.AppendLine(c, $"  misses through the worker (read batches only; not listed for {string.Join(", ", batches.Where(b => !b.ReadByEngineAuthors).Select(b => b.Folder).DefaultIfEmpty("none"))}):");
        foreach (var miss in read.Where(o => !o.Top1 || !o.RemediationMatches))
        {
            text.AppendLine(c, $"  miss {miss.Scenario.Batch}/{miss.Scenario.Id}: said [{string.Join(", ", miss.Categories)}]{(miss.Unknown ? " (unknown)" : "")}"
                + $", remediation {miss.FirstRemediation ?? "none"} (expected {miss.Scenario.Category}, {miss.Scenario.Expected.Remediation ?? "none"}); evidence that led: {(miss.TopEvidence.Length == 0 ? "none" : miss.TopEvidence)}");
        }

        return text.ToString();
    }

    public static double Percentile(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Max(0, (int)Math.Ceiling(sorted.Length * q) - 1)];
}
