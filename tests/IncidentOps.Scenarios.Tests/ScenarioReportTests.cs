using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Drills;
using IncidentOps.Training;

namespace IncidentOps.Scenarios.Tests;

/// <summary>
/// The report CI prints is read by everyone: a batch its engine's authors have not read yet (readByEngineAuthors false)
/// shows its figures and nothing of its scenarios, so reading a CI log does not read a held-out batch.
/// </summary>
public sealed class ScenarioReportTests
{
    [Fact]
    public void A_batch_not_yet_read_shows_its_figures_but_none_of_its_scenarios_or_misses()
    {
        ScenarioBatch read = new("batch-77", "an author whose batch was read", true, null);
        ScenarioBatch unread = new("batch-78", "an author whose batch waits for its scoring", false,
            new HeldOutScore(DateTimeOffset.UtcNow, "abc123", 0.5, 0.5, 0.5, 0, 2));
        ScenarioOutcome[] outcomes =
        [
            Outcome(read, "read-miss-disk", "disk_full", ["memory_leak"], "restart", "evidence of the read miss"),
            Outcome(read, "read-hit-cert", "certificate_expiry", ["certificate_expiry"], "renew_certificate", "x509 expired"),
            Outcome(unread, "unread-miss-partition", "network_partition", ["dependency_outage"], "failover", "SECRET evidence of the unread miss"),
            Outcome(unread, "unread-hit-leak", "memory_leak", ["memory_leak"], "restart", "SECRET evidence of the unread hit"),
        ];

        var text = ScenarioReport.Text([read, unread], outcomes, EmptyTraining());

        Assert.Contains("miss batch-77/read-miss-disk", text, StringComparison.Ordinal);
        Assert.Contains("evidence of the read miss", text, StringComparison.Ordinal);
        // The unread batch's figures are there (one right of two: 50 %), its scenarios, causes and evidence are not.
        var section = text[text.IndexOf("batch-78 (", StringComparison.Ordinal)..];
        var unreadFigures = Figures.Of([.. outcomes.Where(o => o.Scenario.Batch == unread.Folder)]);
        Assert.Equal(0.5, unreadFigures.Top1);
        Assert.Contains($"current (not trained on): {unreadFigures}", section, StringComparison.Ordinal);
        Assert.DoesNotContain("unread-miss-partition", text, StringComparison.Ordinal);
        Assert.DoesNotContain("unread-hit-leak", text, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", text, StringComparison.Ordinal);
        Assert.DoesNotContain("network_partition", text, StringComparison.Ordinal);
    }

    private static ScenarioOutcome Outcome(ScenarioBatch batch, string id, string category, string[] said, string fix, string evidence) =>
        new(new Scenario(id, $"{id} described", "svc", new DrillExpectation(category, category == said[0] ? fix : "free_disk_space"), null, []) { Batch = batch.Folder },
            said, false, fix, TimeSpan.FromMilliseconds(50), evidence, 0.7);

    private static TrainingResult EmptyTraining() =>
        new(new CauseModelWeights(CauseEvidence.FeatureNames, [.. CauseEvidence.FeatureNames.Select(_ => 0.0)], 1, 0.2), [], []);
}
