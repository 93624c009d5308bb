using IncidentOps.Core.Ai;

namespace IncidentOps.Core.Tests;

/// <summary>The catalog listing's states, from the agents' published configuration and the recorded usage.</summary>
public class AiCatalogViewTests
{
    private static readonly DateTimeOffset Hour = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private const string Sonnet = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";

    private static AiModelUsage Usage(string service, string model, AiHealth health, long calls, double cost) =>
        new(service, model, health, health.ToString(), new AiUsageFigures(calls, 0, 10, 5, cost, 100, 200, 0), new AiUsageFigures(calls, 0, 10, 5, cost, 100, 200, 0), null, Hour);

    private static AiConfiguration Bedrock(params string[] off) => new(Hour, "bedrock", "configured",
        [.. AiCatalog.All.Select(e => new AiConfiguredService(e.Id, !off.Contains(e.Id), e.Id == "claude-sonnet" ? Sonnet : e.Id, "x"))]);

    [Fact]
    public void Before_the_agents_report_everything_but_the_local_engine_is_unknown()
    {
        var view = AiCatalogView.Build(null, [], new Dictionary<string, IReadOnlyList<AiHourPoint>>(), [Hour]);

        Assert.Equal(AiCatalog.All.Count, view.Count);
        Assert.All(view.Where(s => s.Id != "local"), s => Assert.Equal(AiServiceStates.Unknown, s.State));
        Assert.Equal(AiServiceStates.Healthy, view.Single(s => s.Id == "local").State);
    }

    [Fact]
    public void A_tier_counts_only_its_own_model_and_a_service_that_is_off_names_its_setting()
    {
        var usage = new[]
        {
            Usage(AiServices.BedrockRuntime, Sonnet, AiHealth.Degraded, 3, 0.03),
            Usage(AiServices.BedrockRuntime, "us.amazon.nova-micro-v1:0", AiHealth.Healthy, 7, 0.001),
        };
        var hours = new Dictionary<string, IReadOnlyList<AiHourPoint>> { [$"{AiServices.BedrockRuntime}|{Sonnet}"] = [new AiHourPoint(Hour, 3, 1, 0.03)] };

        var view = AiCatalogView.Build(Bedrock("guardrails"), usage, hours, [Hour]).ToDictionary(s => s.Id);

        Assert.Equal(AiServiceStates.Degraded, view["claude-sonnet"].State);
        Assert.Equal(3, view["claude-sonnet"].AllTime.Calls);
        Assert.Equal(3, Assert.Single(view["claude-sonnet"].Last24Hours).Calls);
        Assert.Equal(AiServiceStates.NotConfigured, view["guardrails"].State);
        Assert.Contains("AI:GuardrailId", view["guardrails"].StateReason, StringComparison.Ordinal);
        Assert.Equal(AiServiceStates.Healthy, view["knowledge-bases"].State);
        Assert.Contains("no calls yet", view["knowledge-bases"].StateReason, StringComparison.Ordinal);
        Assert.Equal(0, view["knowledge-bases"].AllTime.Calls);
    }
}
