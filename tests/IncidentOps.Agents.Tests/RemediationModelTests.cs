using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Resolution;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The learned first fix within a cause: what the incident says (its words, the fix its evidence names, a recent
/// deploy) picks among the fixes the cause's scenarios chose, becomes the plan's first step, and says what weighed most.
/// </summary>
public sealed class RemediationModelTests
{
    // A dependency outage is failed over by default; a secondary region to shift traffic to makes it a reroute.
    private static readonly RemediationModel Model = new(new RemediationModelWeights(new Dictionary<string, CauseRemediations>
    {
        ["dependency_outage"] = new(["failover", "reroute_traffic"], [0.5, -0.5], new Dictionary<string, double[]>
        {
            ["secondary"] = [-1.2, 1.2],
            ["region"] = [-0.4, 0.4],
            ["replica"] = [0.9, -0.9],
            ["said:failover"] = [2, -2],
        }),
    }));

    private static CauseEvidence Evidence(string text, string? said = null) =>
        new([.. CauseEvidence.Categories.Select(c => new CategoryEvidence(c) { RemediationSaid = c == "dependency_outage" ? said : null })], 0, 0)
        {
            Terms = RemediationModel.Terms(text),
        };

    private static CauseHypothesis Outage => new("dependency_outage", "A dependency is down", 0.8, ["alert mentions 'upstream'"]);

    [Theory]
    [InlineData("Stripe API 5xx 61%; secondary region us-west-2 READY, error rate 0.02%", null, "reroute_traffic")]
    [InlineData("payments-db primary unreachable; replica lag 0.4s", null, "failover")]
    [InlineData("Stripe API 5xx 61%; nothing else known", null, "failover")]
    // What the incident's own evidence says is a feature like the words, weighed as it was learned.
    [InlineData("Stripe API 5xx 61%; secondary region us-west-2 READY", "failover", "failover")]
    public void The_first_fix_is_the_one_the_incidents_words_make_likeliest(string text, string? said, string first)
    {
        var suggested = Model.Suggest([Outage], Evidence(text, said));

        var hypothesis = Assert.Single(suggested);
        Assert.Equal(first, hypothesis.SuggestedRemediation);
        var plan = RemediationChoice.For(new DiagnosisResult([new Hypothesis(hypothesis.Category, hypothesis.Cause, hypothesis.Confidence, hypothesis.Evidence)
        {
            SuggestedRemediation = hypothesis.SuggestedRemediation,
        }], false, "s"));
        Assert.Equal(first, plan[0].Id);
    }

    [Fact]
    public void The_evidence_names_the_fix_its_probability_and_the_words_that_weighed_most()
    {
        var hypothesis = Model.Suggest([Outage], Evidence("Stripe API 5xx; secondary region READY; replica unknown"))[0];

        var line = Assert.Single(hypothesis.Evidence, e => e.StartsWith("learned first fix:", StringComparison.Ordinal));
        Assert.StartsWith("learned first fix: reroute_traffic (0.", line, StringComparison.Ordinal);
        Assert.Contains("'secondary'", line, StringComparison.Ordinal);
        Assert.EndsWith("weighed most: 'secondary', 'region')", line, StringComparison.Ordinal);
        Assert.DoesNotContain("'replica'", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cause_the_model_has_no_fixes_for_keeps_the_rules_suggestion()
    {
        var disk = new CauseHypothesis("disk_full", "A volume is full", 0.9, []) { SuggestedRemediation = "free_disk_space" };

        var kept = Assert.Single(Model.Suggest([disk], Evidence("secondary region; /var 99% used")));

        Assert.Same(disk, kept);
    }

    [Fact]
    public void The_shipped_model_loads_and_keeps_only_causes_it_chose_better_for_than_the_rules()
    {
        var shipped = RemediationModel.Load().Weights;

        Assert.NotEmpty(shipped.Causes);
        Assert.All(shipped.Causes.Keys, cause => Assert.Contains(shipped.CrossValidated, e => e.Cause == cause && e.Kept && e.Model > e.Rules));
        Assert.All(shipped.Causes.Values, c => Assert.Equal(c.Remediations.Count, c.Bias.Count));
    }
}
