using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;
using Microsoft.Extensions.AI;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// Bedrock Runtime <c>Converse</c> and <c>ConverseStream</c> as a Microsoft.Extensions.AI <see cref="IChatClient"/>,
/// so the agents' reasoning runs the same on Bedrock or an OpenAI-compatible endpoint. A JSON-schema
/// response format becomes a forced tool (<c>toolConfig</c>), which is how Converse gives structured output;
/// the configured guardrail rides on every call (<c>guardrailConfig</c>), and <c>guardrail_intervened</c>
/// comes back as <see cref="ChatFinishReason.ContentFilter"/>.
/// </summary>
public sealed class BedrockChatClient(IHttpClientFactory factory, string? guardrailId, string guardrailVersion)
    : AwsJsonClient(factory, AwsClientNames.BedrockRuntime, "bedrock-runtime"), IChatClient
{
    /// <summary><see cref="ChatResponse.AdditionalProperties"/> keys: Bedrock's own latency figure and raw stop reason.</summary>
    public const string LatencyMsKey = "latencyMs";
    public const string StopReasonKey = "stopReason";

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (model, body, tool) = Request(messages, options);
        var json = await PostAsync($"/model/{Uri.EscapeDataString(model)}/converse", body, cancellationToken);
        var content = json["output"]?["message"]?["content"] as JsonArray ?? throw Malformed("Converse response has no output.message.content");
        var text = string.Concat(content.Select(c => tool is not null && c?["toolUse"]?["input"] is { } input ? input.ToJsonString() : (string?)c?["text"]));
        var stopReason = (string?)json["stopReason"] ?? throw Malformed("Converse response has no stopReason");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, text))
        {
            ModelId = model,
            FinishReason = FinishReasonOf(stopReason),
            Usage = UsageOf(json["usage"]),
            AdditionalProperties = new() { [StopReasonKey] = stopReason, [LatencyMsKey] = (double?)json["metrics"]?["latencyMs"] },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (model, body, _) = Request(messages, options);
        using var response = await SendAsync($"/model/{Uri.EscapeDataString(model)}/converse-stream", body, target: null, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var message in ReadEventsAsync(stream, cancellationToken))
        {
            var payload = JsonNode.Parse(message.Payload);
            switch (message.EventType)
            {
                case "contentBlockDelta" when (payload?["delta"]) is { } delta:
                    // Text, or a piece of the forced tool's JSON input (structured output arrives that way).
                    var piece = (string?)delta["text"] ?? (string?)delta["toolUse"]?["input"];
                    if (!string.IsNullOrEmpty(piece))
                    {
                        yield return new ChatResponseUpdate(ChatRole.Assistant, piece) { ModelId = model };
                    }

                    break;
                case "messageStop":
                    var stopReason = (string?)payload?["stopReason"] ?? "end_turn";
                    yield return new ChatResponseUpdate { Role = ChatRole.Assistant, ModelId = model, FinishReason = FinishReasonOf(stopReason), AdditionalProperties = new() { [StopReasonKey] = stopReason } };
                    break;
                case "metadata":
                    yield return new ChatResponseUpdate
                    {
                        Role = ChatRole.Assistant,
                        ModelId = model,
                        Contents = [new UsageContent(UsageOf(payload?["usage"]))],
                        AdditionalProperties = new() { [LatencyMsKey] = (double?)payload?["metrics"]?["latencyMs"] },
                    };
                    break;
            }
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private async IAsyncEnumerable<AwsEventMessage> ReadEventsAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var reader = AwsEventStreamReader.ReadAsync(stream, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await reader.MoveNextAsync())
                    {
                        yield break;
                    }
                }
                catch (InvalidDataException ex)
                {
                    throw Malformed($"ConverseStream event stream: {ex.Message}");
                }

                var message = reader.Current;
                if (message.MessageType is "exception" or "error")
                {
                    throw StreamError(message);
                }

                yield return message;
            }
        }
        finally
        {
            await reader.DisposeAsync();
        }
    }

    private (string Model, JsonObject Body, string? Tool) Request(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var model = options?.ModelId ?? throw new ArgumentException("ChatOptions.ModelId names the Bedrock model or inference profile.", nameof(options));
        var system = new JsonArray();
        var turns = new JsonArray();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.System)
            {
                system.Add(new JsonObject { ["text"] = message.Text });
            }
            else
            {
                turns.Add(new JsonObject
                {
                    ["role"] = message.Role == ChatRole.Assistant ? "assistant" : "user",
                    ["content"] = new JsonArray(new JsonObject { ["text"] = message.Text }),
                });
            }
        }

        var inference = new JsonObject();
        if (options.MaxOutputTokens is { } max)
        {
            inference["maxTokens"] = max;
        }

        if (options.Temperature is { } temperature)
        {
            inference["temperature"] = temperature;
        }

        if (options.TopP is { } topP)
        {
            inference["topP"] = topP;
        }

        if (options.StopSequences is { Count: > 0 } stops)
        {
            inference["stopSequences"] = new JsonArray([.. stops.Select(s => (JsonNode)s)]);
        }

        var body = new JsonObject { ["messages"] = turns, ["inferenceConfig"] = inference };
        if (system.Count > 0)
        {
            body["system"] = system;
        }

        string? tool = null;
        if (options.ResponseFormat is ChatResponseFormatJson { Schema: { } schema } format)
        {
            tool = format.SchemaName ?? "structured_output";
            body["toolConfig"] = new JsonObject
            {
                ["tools"] = new JsonArray(new JsonObject
                {
                    ["toolSpec"] = new JsonObject
                    {
                        ["name"] = tool,
                        ["description"] = format.SchemaDescription ?? "Report the answer in this structure.",
                        ["inputSchema"] = new JsonObject { ["json"] = JsonNode.Parse(schema.GetRawText()) },
                    },
                }),
                ["toolChoice"] = new JsonObject { ["tool"] = new JsonObject { ["name"] = tool } },
            };
        }

        if (!string.IsNullOrWhiteSpace(guardrailId))
        {
            body["guardrailConfig"] = new JsonObject { ["guardrailIdentifier"] = guardrailId, ["guardrailVersion"] = guardrailVersion, ["trace"] = "enabled" };
        }

        return (model, body, tool);
    }

    private static ChatFinishReason FinishReasonOf(string stopReason) => stopReason switch
    {
        "max_tokens" => ChatFinishReason.Length,
        "tool_use" => ChatFinishReason.ToolCalls,
        "guardrail_intervened" or "content_filtered" => ChatFinishReason.ContentFilter,
        _ => ChatFinishReason.Stop,
    };

    private static UsageDetails UsageOf(JsonNode? usage) => new()
    {
        InputTokenCount = (long?)usage?["inputTokens"],
        OutputTokenCount = (long?)usage?["outputTokens"],
        TotalTokenCount = (long?)usage?["totalTokens"],
    };
}
