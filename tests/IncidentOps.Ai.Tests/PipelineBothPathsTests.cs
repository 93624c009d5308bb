extern alias api;

using System.Text;
using System.Text.Json;
using IncidentOps.Agents.Actions;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Pipeline;
using api::IncidentOps.Api.Apis;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace IncidentOps.Ai.Tests;

/// <summary>The done-when of the AI layer: the same pipeline on the local engine and on Bedrock (the fake), same result shapes, figures at the API.</summary>
[Collection(AiTests.Name)]
public class PipelineBothPathsTests(AiFixture fixture)
{
    [Fact]
    public async Task Local_and_Bedrock_paths_give_the_same_result_shapes_and_Bedrock_usage_shows_at_the_api()
    {
        var local = await RunPipelineAsync(fixture.Services(("AI:Provider", "Local")), "checkout-local");

        fixture.Aws.Respond = BedrockEverything;
        var before = fixture.Aws.Requests.Count;
        var bedrockServices = fixture.Services([
            ("AI:Provider", "Bedrock"), ("AI:GuardrailId", "gr-1"), ("AI:KnowledgeBaseId", "KB1"), ("AI:AgentId", "AG1"), ("AI:AgentAliasId", "AL1"),
            ("AI:QBusinessApplicationId", "app-1"), ("AI:UseComprehend", "true"), ("AI:Routing:HourlyBudgetUsd", "1000"),
            .. AiFixture.OwnModels("pipeline")]);
        var bedrock = await RunPipelineAsync(bedrockServices, "checkout-bedrock");

        foreach (var phase in new[] { AgentPhase.Diagnosis, AgentPhase.Resolution })
        {
            Assert.Equal(Shape(local[phase]), Shape(bedrock[phase]));
        }

        Assert.Equal("bad_deploy", bedrock[AgentPhase.Diagnosis].GetProperty("hypotheses")[0].GetProperty("category").GetString());
        Assert.Contains(bedrock[AgentPhase.Resolution].GetProperty("steps").EnumerateArray(), s => s.GetProperty("source").GetString()!.StartsWith("bedrock-knowledge-bases", StringComparison.Ordinal));
        Assert.Contains(bedrock[AgentPhase.Resolution].GetProperty("steps").EnumerateArray(), s => s.GetProperty("title").GetString()!.StartsWith("Knowledge assistant", StringComparison.Ordinal));
        Assert.Contains(local[AgentPhase.Resolution].GetProperty("steps").EnumerateArray(), s => s.GetProperty("source").GetString()!.Contains("runbook:", StringComparison.Ordinal));
        Assert.All(fixture.Aws.Requests.Skip(before), r => Assert.Null(r.SignatureError));

        var report = (await AiApi.Services(bedrockServices.GetRequiredService<AiUsageStore>())).Value!;
        var runtime = report.Services.Single(s => s.Service == AiServices.BedrockRuntime);
        Assert.True(runtime.AllTime.Calls >= 1);
        Assert.True(runtime.AllTime.InputTokens >= 812);
        Assert.True(runtime.AllTime.CostUsd > 0);
        foreach (var service in new[] { AiServices.BedrockGuardrails, AiServices.BedrockKnowledgeBases, AiServices.BedrockAgents, AiServices.QBusiness, AiServices.Comprehend })
        {
            Assert.Contains(report.Services, s => s.Service == service && s.AllTime.Calls > 0);
        }

        Assert.Contains(report.RecentRoutes, r => r.Reason.Contains("complexity", StringComparison.Ordinal));

        var events = await new OpsEventLog(fixture.Redis.Connection).ReadAfterAsync(StreamId.Zero, 100_000);
        Assert.Contains(events, e => e.Type == EventTypes.AiCall && e.Data.GetProperty("service").GetString() == AiServices.BedrockRuntime
            && e.Data.GetProperty("costUsd").GetDouble() > 0 && e.Data.GetProperty("routeReason").GetString() is { Length: > 0 });
    }

    private async Task<Dictionary<AgentPhase, JsonElement>> RunPipelineAsync(IServiceProvider services, string service)
    {
        await TestIncidents.DeployedAsync(new ChangeLog(fixture.Redis.Connection, TimeProvider.System), service, "v2.3.1");
        var incident = await fixture.OpenIncidentAsync("Checkout 5xx error rate 12% since deploy of v2.3.1: NullPointerException in the new release, contact oncall@example.com", service: service);
        var store = new IncidentStore(fixture.Redis.Connection);
        var pipeline = services.GetRequiredService<IncidentPipeline>();

        await pipeline.RunAsync(incident.Id, CancellationToken.None);

        var runs = await store.GetRunsAsync(incident.Id);
        Assert.All(runs.Values, r => Assert.Equal(AgentState.Completed, r.State));
        return runs.ToDictionary(r => r.Key, r => r.Value.Result!.Value);
    }

    /// <summary>The property names and kinds of a JSON value, recursively (arrays by their first element).</summary>
    private static string Shape(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "{" + string.Join(",", element.EnumerateObject().Select(p => $"{p.Name}:{Shape(p.Value)}")) + "}",
        JsonValueKind.Array => "[" + (element.GetArrayLength() > 0 ? Shape(element[0]) : string.Empty) + "]",
        JsonValueKind.True or JsonValueKind.False => "bool",
        JsonValueKind.Null => "string",
        var kind => kind.ToString().ToLowerInvariant(),
    };

    private static FakeResponse BedrockEverything(FakeRequest request)
    {
        string Chunk(string text) => $$"""{"bytes":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes(text))}}"}""";
        if (request.Body?.ToJsonString().Contains("oncall@example.com", StringComparison.Ordinal) == true)
        {
            return FakeResponse.Error(400, "ValidationException", "PII reached the fake: the guard did not redact it");
        }

        return request switch
        {
            { Target: "Comprehend_20171127.DetectPiiEntities" } => FakeResponse.Ok("""{"Entities":[]}"""),
            { Path: var p } when p.EndsWith("/apply", StringComparison.Ordinal) => FakeResponse.Ok("""{"usage":{"topicPolicyUnits":1},"action":"NONE","outputs":[],"assessments":[]}"""),
            { Path: var p } when p.EndsWith("/converse", StringComparison.Ordinal) => FakeResponse.Ok(ConverseShapes.ToolUse(ConverseShapes.Hypotheses)),
            { Path: var p } when p.EndsWith("/retrieve", StringComparison.Ordinal) => FakeResponse.Ok("""
                {"retrievalResults":[{"content":{"text":"Roll back when latency began with a release."},"location":{"type":"S3","s3Location":{"uri":"s3://kb/failed-deploy.md"}},"score":0.77}]}
                """),
            { Path: var p } when p.EndsWith("/text", StringComparison.Ordinal) => new FakeResponse(200, Bytes: ConverseShapes.Event("chunk", Chunk("checkout had a bad deploy last week."))),
            { Path: var p } when p.Contains("/conversations?sync", StringComparison.Ordinal) => FakeResponse.Ok("""
                {"conversationId":"c1","systemMessage":"Roll back with the deploy pipeline's rollback job.","systemMessageId":"m2","userMessageId":"m1","sourceAttributions":[{"title":"Deploys","url":"https://wiki/deploys","snippet":"rollback"}]}
                """),
            _ => FakeResponse.Error(404, "UnknownOperationException", $"the fake does not know {request.Path}"),
        };
    }
}
