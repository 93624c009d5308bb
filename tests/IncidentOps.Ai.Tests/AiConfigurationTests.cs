using IncidentOps.Agents.Ai;
using IncidentOps.Core.Ai;

namespace IncidentOps.Ai.Tests;

/// <summary>What the agents worker tells the API it runs with: each AI service on or off, and why.</summary>
public class AiConfigurationTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.UnixEpoch;

    [Fact]
    public void On_the_local_engine_only_the_local_engine_is_configured_and_each_aws_service_says_why_not()
    {
        var configuration = AiConfigurationPublisher.Describe(new AiOptions { GuardrailId = "gr-1" }, AiProvider.Local, "Auto: no AWS credentials configured", At);

        Assert.Equal(AiCatalog.All.Select(e => e.Id), configuration.Services.Select(s => s.Id));
        Assert.Equal(["local"], configuration.Services.Where(s => s.Configured).Select(s => s.Id));
        var guardrails = configuration.Services.Single(s => s.Id == "guardrails");
        Assert.Null(guardrails.Model);
        Assert.Contains("no AWS credentials", guardrails.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void On_bedrock_the_five_tiers_are_on_with_their_models_and_resources_only_where_their_ids_are_set()
    {
        var options = new AiOptions { Provider = AiProvider.Bedrock, KnowledgeBaseId = "KB123", UseTextract = false };

        var services = AiConfigurationPublisher.Describe(options, AiProvider.Bedrock, "configured", At).Services.ToDictionary(s => s.Id);

        Assert.True(services["claude-sonnet"].Configured);
        Assert.Equal(options.Models.ClaudeSonnet, services["claude-sonnet"].Model);
        Assert.Equal(options.Models.NovaMicro, services["nova-micro"].Model);
        Assert.True(services["knowledge-bases"].Configured);
        Assert.Equal("KB123", services["knowledge-bases"].Model);
        Assert.False(services["guardrails"].Configured);
        Assert.Equal("AI:GuardrailId is empty", services["guardrails"].Detail);
        Assert.True(services["comprehend"].Configured);
        Assert.False(services["textract"].Configured);
        Assert.Equal("AI:UseTextract is false", services["textract"].Detail);
        Assert.False(services["openai-compatible"].Configured);
        Assert.True(services["local"].Configured);
    }
}
