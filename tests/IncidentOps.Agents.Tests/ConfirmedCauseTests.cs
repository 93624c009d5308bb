using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// A cause the team confirmed on an incident that reads nearly like this one is named, even where the model alone would
/// say "unknown" (the alert has no cause words it knows); without such a case, "unknown" stays.
/// </summary>
public sealed class ConfirmedCauseTests
{
    private static readonly CauseModel Model = TestCauseModels.With(new() { [IncidentCategories.Unknown] = 0.96, ["network_partition"] = 0.02, ["config_error"] = 0.02 });

    [Fact]
    public void A_nearly_identical_confirmed_case_names_its_cause_where_the_model_alone_says_unknown()
    {
        Assert.Empty(Model.Hypotheses(TestCauseModels.Evidence()));

        var hypotheses = Model.Hypotheses(TestCauseModels.Evidence(new() { ["network_partition"] = 0.92 }));

        Assert.Equal("network_partition", hypotheses[0].Category);
        // The probability shown is the boosted one (0.49, "unknown" 0.50), not raised to beat "unknown".
        Assert.InRange(hypotheses[0].Confidence, 0.45, 0.55);
    }

    [Theory]
    [InlineData(0.79)] // below the boost's reach: a case that only reads alike is not the same incident
    [InlineData(0.0)]
    public void A_confirmed_case_too_far_to_move_probability_leaves_unknown(double similarity) =>
        Assert.Empty(Model.Hypotheses(TestCauseModels.Evidence(new() { ["network_partition"] = similarity })));

    [Fact]
    public void A_cause_the_model_rates_below_the_threshold_stays_unknown_even_with_a_confirmed_case()
    {
        // Share at 0.81 is 0.04: the confirmed cause reaches ~0.06, under the threshold.
        Assert.Empty(Model.Hypotheses(TestCauseModels.Evidence(new() { ["network_partition"] = 0.81 })));
    }
}
