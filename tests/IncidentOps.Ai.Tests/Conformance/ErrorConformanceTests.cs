using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Agents.Ai.Memory;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Ai.TextExtraction;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Ai.Tests.Conformance;

/// <summary>
/// Each error shape the fake answers is the service's own: the official SDK raises the exception its model declares
/// for it (name, fault, HTTP status), and our client reports the same code and message and retries exactly when the
/// SDK's standard retry strategy would. Every <see cref="AwsServiceException"/> then falls back to the local engine.
/// </summary>
[Collection(AiTests.Name)]
public class ErrorConformanceTests(AiFixture fixture)
{
    // (operation, error code, HTTP status the fake answers with, whether the service's model declares the error).
    public static TheoryData<string, string, int, bool> Errors => new()
    {
        { "converse", "ThrottlingException", 429, true },
        { "converse", "ValidationException", 400, true },
        { "converse", "AccessDeniedException", 403, true },
        { "converse", "ModelNotReadyException", 429, true },
        { "converse", "ServiceUnavailableException", 503, true },
        { "converse", "InternalServerException", 500, true },
        { "converse", "ModelTimeoutException", 408, true },
        { "converse", "ModelErrorException", 424, true },
        { "converse", "ResourceNotFoundException", 404, true },
        { "applyGuardrail", "ThrottlingException", 429, true },
        { "applyGuardrail", "ValidationException", 400, true },
        { "applyGuardrail", "AccessDeniedException", 403, true },
        { "applyGuardrail", "ServiceQuotaExceededException", 400, true },
        { "retrieve", "ThrottlingException", 429, true },
        { "retrieve", "ValidationException", 400, true },
        { "retrieve", "AccessDeniedException", 403, true },
        { "retrieve", "DependencyFailedException", 424, true },
        { "retrieve", "BadGatewayException", 502, true },
        { "invokeAgent", "ThrottlingException", 429, true },
        { "invokeAgent", "AccessDeniedException", 403, true },
        { "invokeAgent", "ModelNotReadyException", 424, true },
        { "invokeAgent", "InternalServerException", 500, true },
        { "chatSync", "ThrottlingException", 429, true },
        { "chatSync", "ValidationException", 400, true },
        { "chatSync", "AccessDeniedException", 403, true },
        { "chatSync", "LicenseNotFoundException", 400, true },
        { "chatSync", "InternalServerException", 500, true },
        { "detectSentiment", "TooManyRequestsException", 429, true },
        { "detectSentiment", "InvalidRequestException", 400, true },
        { "detectSentiment", "TextSizeLimitExceededException", 400, true },
        { "detectSentiment", "InternalServerException", 500, true },
        // Common errors every AWS service may answer, outside Comprehend's model.
        { "detectSentiment", "ThrottlingException", 400, false },
        { "detectSentiment", "AccessDeniedException", 400, false },
        { "detectPiiEntities", "TooManyRequestsException", 429, true },
        { "detectPiiEntities", "UnsupportedLanguageException", 400, true },
        { "detectDocumentText", "ThrottlingException", 500, true },
        { "detectDocumentText", "ProvisionedThroughputExceededException", 400, true },
        { "detectDocumentText", "LimitExceededException", 400, true },
        { "detectDocumentText", "AccessDeniedException", 400, true },
        { "detectDocumentText", "InvalidParameterException", 400, true },
        { "detectDocumentText", "UnsupportedDocumentException", 400, true },
        { "detectDocumentText", "InternalServerError", 500, true },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task An_error_is_named_classified_and_retried_as_the_official_sdk_does(string operation, string code, int status, bool modeled)
    {
        var call = Calls[operation];
        var message = $"{code} from the fake for {operation}";
        fixture.Aws.Respond = _ => call.Json11 ? FakeResponse.Json11Error(status, code, message) : FakeResponse.Error(status, code, message);
        var services = fixture.Services();

        var (ours, requests) = await SdkConformance.RecordAsync(fixture.Aws, async () => await Assert.ThrowsAsync<AwsServiceException>(() => call.Ours(services)));
        var sdk = (await OfficialSdk.RunAsync(operation, fixture.Aws.Url, call.SdkInput)).Error ?? throw new Xunit.Sdk.XunitException("the SDK did not raise");

        Assert.Equal(code, sdk.Name);
        Assert.Equal(modeled, sdk.Modeled);
        if (modeled)
        {
            Assert.True(sdk.ModeledStatus == status, $"the service model gives {code} status {sdk.ModeledStatus} ({sdk.Fault}); the fake answered {status}");
        }

        Assert.Equal(sdk.Name, ours.Code);
        Assert.Equal(sdk.Message, ours.ServiceMessage);
        Assert.True(sdk.Retryable == requests.Count > 1, $"the SDK {(sdk.Retryable ? "retries" : "does not retry")} {code}; we sent {requests.Count} request(s)");
        Assert.Equal(sdk.Retryable, ours.IsRetryable);
    }

    // (operation, the stream union's member for the exception frame, the exception the SDK raises for it).
    public static TheoryData<string, string, string> StreamErrors => new()
    {
        { "converseStream", "throttlingException", "ThrottlingException" },
        { "converseStream", "validationException", "ValidationException" },
        { "converseStream", "serviceUnavailableException", "ServiceUnavailableException" },
        { "converseStream", "modelStreamErrorException", "ModelStreamErrorException" },
        { "converseStream", "internalServerException", "InternalServerException" },
        { "invokeAgent", "throttlingException", "ThrottlingException" },
        { "invokeAgent", "accessDeniedException", "AccessDeniedException" },
        { "invokeAgent", "dependencyFailedException", "DependencyFailedException" },
        { "invokeAgent", "badGatewayException", "BadGatewayException" },
        { "invokeAgent", "modelNotReadyException", "ModelNotReadyException" },
    };

    [Theory]
    [MemberData(nameof(StreamErrors))]
    public async Task An_exception_inside_an_event_stream_is_the_one_the_official_sdk_raises(string operation, string member, string name)
    {
        var call = Calls[operation];
        var first = operation == "invokeAgent" ? AwsShapes.AgentAnswer("partial ") : ConverseShapes.Event("messageStart", """{"role":"assistant"}""");
        fixture.Aws.Respond = _ => new FakeResponse(200, Bytes: ConverseShapes.Concat(first, ConverseShapes.Exception(member, $"{member} mid-stream")));

        var (ours, requests) = await SdkConformance.RecordAsync(fixture.Aws, async () => await Assert.ThrowsAsync<AwsServiceException>(() => call.Ours(fixture.Services())));
        var sdk = await OfficialSdk.RunAsync(operation, fixture.Aws.Url, call.SdkInput);

        Assert.Single(sdk.Events);
        var error = sdk.Error ?? throw new Xunit.Sdk.XunitException("the SDK read the stream without an error");
        Assert.Equal(name, error.Name);
        Assert.True(error.Modeled, $"{name} is not an exception of the {operation} model");
        Assert.Equal(error.Name, ours.Code);
        Assert.Equal(error.Message, ours.ServiceMessage);
        Assert.Single(requests);
    }

    [Theory]
    [InlineData("converseStream")]
    [InlineData("invokeAgent")]
    public async Task An_error_frame_inside_an_event_stream_is_named_and_reported_as_the_official_sdk_does(string operation)
    {
        var call = Calls[operation];
        fixture.Aws.Respond = _ => new FakeResponse(200, Bytes: ConverseShapes.ErrorFrame("InternalFailure", "An internal error occurred mid-stream."));

        var ours = await Assert.ThrowsAsync<AwsServiceException>(() => call.Ours(fixture.Services()));
        var sdk = (await OfficialSdk.RunAsync(operation, fixture.Aws.Url, call.SdkInput)).Error ?? throw new Xunit.Sdk.XunitException("the SDK read the stream without an error");

        Assert.Equal("InternalFailure", sdk.Name);
        Assert.Equal(sdk.Name, ours.Code);
        // The SDK raises it as a deserialization failure and appends a hint on a second line.
        Assert.Equal(sdk.Message?.Split('\n')[0], ours.ServiceMessage);
    }

    private sealed record Call(Func<IServiceProvider, Task> Ours, JsonObject SdkInput, bool Json11 = false);

    private static readonly Dictionary<string, Call> Calls = new()
    {
        ["converse"] = new(
            sp => sp.GetRequiredService<AiEngine>().Chat!.GetResponseAsync([new(ChatRole.User, "x")], new ChatOptions { ModelId = "errors-model", MaxOutputTokens = 16 }),
            new JsonObject
            {
                ["modelId"] = "errors-model", ["inferenceConfig"] = new JsonObject { ["maxTokens"] = 16 },
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["text"] = "x" }) }),
            }),
        ["converseStream"] = new(
            sp => sp.GetRequiredService<AiEngine>().Chat!.GetStreamingResponseAsync([new(ChatRole.User, "x")], new ChatOptions { ModelId = "errors-model", MaxOutputTokens = 16 }).ToChatResponseAsync(),
            new JsonObject
            {
                ["modelId"] = "errors-model", ["inferenceConfig"] = new JsonObject { ["maxTokens"] = 16 },
                ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = new JsonArray(new JsonObject { ["text"] = "x" }) }),
            }),
        ["applyGuardrail"] = new(
            sp => sp.GetRequiredService<BedrockGuardrailClient>().ApplyAsync("gr-1", "1", isInput: true, "x", CancellationToken.None),
            new JsonObject
            {
                ["guardrailIdentifier"] = "gr-1", ["guardrailVersion"] = "1", ["source"] = "INPUT",
                ["content"] = new JsonArray(new JsonObject { ["text"] = new JsonObject { ["text"] = "x" } }),
            }),
        ["retrieve"] = new(
            sp => sp.GetRequiredService<KnowledgeBaseClient>().RetrieveAsync("KB1", "x", 3, CancellationToken.None),
            new JsonObject
            {
                ["knowledgeBaseId"] = "KB1", ["retrievalQuery"] = new JsonObject { ["text"] = "x" },
                ["retrievalConfiguration"] = new JsonObject { ["vectorSearchConfiguration"] = new JsonObject { ["numberOfResults"] = 3 } },
            }),
        ["invokeAgent"] = new(
            sp => sp.GetRequiredService<BedrockAgentClient>().InvokeAsync("AG1", "AL1", "s1", "m1", "x", endSession: false, CancellationToken.None),
            new JsonObject
            {
                ["agentId"] = "AG1", ["agentAliasId"] = "AL1", ["sessionId"] = "s1", ["memoryId"] = "m1", ["inputText"] = "x", ["endSession"] = false, ["enableTrace"] = false,
            }),
        ["chatSync"] = new(
            sp => sp.GetRequiredService<QBusinessClient>().ChatSyncAsync("app-1", "x", CancellationToken.None),
            new JsonObject { ["applicationId"] = "app-1", ["userMessage"] = "x" }),
        ["detectSentiment"] = new(
            sp => sp.GetRequiredService<ComprehendClient>().DetectSentimentAsync("x", CancellationToken.None),
            new JsonObject { ["Text"] = "x", ["LanguageCode"] = "en" }, Json11: true),
        ["detectPiiEntities"] = new(
            sp => sp.GetRequiredService<ComprehendClient>().DetectPiiEntitiesAsync("x", CancellationToken.None),
            new JsonObject { ["Text"] = "x", ["LanguageCode"] = "en" }, Json11: true),
        ["detectDocumentText"] = new(
            sp => sp.GetRequiredService<TextractClient>().DetectDocumentTextAsync([1, 2, 3], CancellationToken.None),
            new JsonObject { ["Document"] = new JsonObject { ["Bytes"] = "AQID" } }, Json11: true),
    };
}
