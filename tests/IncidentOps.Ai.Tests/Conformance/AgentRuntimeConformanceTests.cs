using System.Text;
using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Memory;
using IncidentOps.Agents.Ai.Retrieval;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Ai.Tests.Conformance;

/// <summary>Knowledge Bases Retrieve and Bedrock Agents InvokeAgent (bedrock-agent-runtime) against the official SDK.</summary>
[Collection(AiTests.Name)]
public class AgentRuntimeConformanceTests(AiFixture fixture)
{
    [Fact]
    public async Task Retrieve_request_is_the_sdks_and_its_scores_and_sources_read_the_same()
    {
        var client = fixture.Services().GetRequiredService<KnowledgeBaseClient>();
        fixture.Aws.Respond = _ => FakeResponse.Ok(AwsShapes.Retrieval);
        const string query = "checkout errors after deploy 2.3.1";
        var input = new JsonObject
        {
            ["knowledgeBaseId"] = "KB12345678",
            ["retrievalQuery"] = new JsonObject { ["text"] = query },
            ["retrievalConfiguration"] = new JsonObject { ["vectorSearchConfiguration"] = new JsonObject { ["numberOfResults"] = 5 } },
        };

        var (ours, sdk) = await SdkConformance.BothAsync(fixture.Aws, () => client.RetrieveAsync("KB12345678", query, 5, CancellationToken.None), "retrieve", input);

        var results = sdk.Out["retrievalResults"]!.AsArray();
        Assert.Equal(results.Count, ours.Count);
        for (var i = 0; i < ours.Count; i++)
        {
            var location = results[i]!["location"]!;
            Assert.Equal((string?)location["s3Location"]?["uri"] ?? (string?)location["webLocation"]?["url"], ours[i].Source);
            Assert.Equal(Math.Round((double)results[i]!["score"]!, 3), ours[i].Score);
            Assert.Equal((string?)results[i]!["content"]!["text"], ours[i].Snippet);
        }
    }

    [Fact]
    public async Task InvokeAgent_request_is_the_sdks_with_session_and_memory_and_its_chunks_read_the_same()
    {
        var client = fixture.Services().GetRequiredService<BedrockAgentClient>();
        fixture.Aws.Respond = _ => new FakeResponse(200, Bytes: AwsShapes.AgentAnswer("checkout-api had two ", "disk incidents — both in May."));
        var input = new JsonObject
        {
            ["agentId"] = "AGENT12345", ["agentAliasId"] = "ALIAS12345", ["sessionId"] = "01JD8X3K7Q", ["memoryId"] = "svc-checkout-api",
            ["inputText"] = "What do you remember about earlier incidents on checkout-api?", ["endSession"] = false, ["enableTrace"] = false,
        };

        var (ours, sdk) = await SdkConformance.BothAsync(
            fixture.Aws,
            () => client.InvokeAsync("AGENT12345", "ALIAS12345", "01JD8X3K7Q", "svc-checkout-api", "What do you remember about earlier incidents on checkout-api?", endSession: false, CancellationToken.None),
            "invokeAgent",
            input);

        Assert.Null(sdk.Error);
        var text = string.Concat(sdk.Events.Select(e => Encoding.UTF8.GetString(Convert.FromBase64String((string)e!["chunk"]!["bytes"]!))));
        Assert.Equal("checkout-api had two disk incidents — both in May.", text);
        Assert.Equal(text, ours);
    }
}
