using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The second and third causes a responder is shown: listed down to 1 % with their probability (a right cause at 1-3 %
/// was cut from the list before, a top-3 miss), not below.
/// </summary>
public sealed class CauseListingTests
{
    [Theory]
    [InlineData(0.02, new[] { "disk_full", "memory_leak", "certificate_expiry" })]
    [InlineData(0.004, new[] { "disk_full", "memory_leak" })]
    public void A_third_cause_is_listed_down_to_one_percent(double third, string[] listed)
    {
        var model = TestCauseModels.With(new() { ["disk_full"] = 0.9, ["memory_leak"] = 0.06, ["certificate_expiry"] = third });

        var hypotheses = model.Hypotheses(new CauseEvidence([.. CauseEvidence.Categories.Select(c => new CategoryEvidence(c))], 0, 0));

        Assert.Equal(listed, hypotheses.Select(h => h.Category));
        Assert.Equal(Math.Round(third, 2), hypotheses.FirstOrDefault(h => h.Category == "certificate_expiry")?.Confidence ?? 0);
    }
}
