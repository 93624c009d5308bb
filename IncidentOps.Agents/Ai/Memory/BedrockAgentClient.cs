using System.Text;
using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;

namespace IncidentOps.Agents.Ai.Memory;

/// <summary>
/// Bedrock Agents <c>InvokeAgent</c> with a memory id (bedrock-agent-runtime). The response is an event
/// stream: <c>chunk</c> events carry base64 text, exceptions arrive as <c>:message-type exception</c>.
/// </summary>
public sealed class BedrockAgentClient(IHttpClientFactory factory) : AwsJsonClient(factory, AwsClientNames.BedrockAgentRuntime, "bedrock-agent-runtime")
{
    public async Task<string> InvokeAsync(string agentId, string aliasId, string sessionId, string memoryId, string inputText, bool endSession, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["inputText"] = inputText, ["memoryId"] = memoryId, ["endSession"] = endSession, ["enableTrace"] = false };
        var path = $"/agents/{Uri.EscapeDataString(agentId)}/agentAliases/{Uri.EscapeDataString(aliasId)}/sessions/{Uri.EscapeDataString(sessionId)}/text";
        using var response = await SendAsync(path, body, target: null, cancellationToken);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var text = new StringBuilder();
        try
        {
            await foreach (var message in AwsEventStreamReader.ReadAsync(stream, cancellationToken))
            {
                if (message.MessageType is "exception" or "error")
                {
                    throw StreamError(message);
                }

                if (message.EventType == "chunk" && JsonNode.Parse(message.Payload)?["bytes"] is { } bytes)
                {
                    text.Append(Encoding.UTF8.GetString(Convert.FromBase64String((string)bytes!)));
                }
            }
        }
        catch (InvalidDataException ex)
        {
            throw Malformed($"InvokeAgent event stream: {ex.Message}");
        }

        return text.ToString();
    }
}
