using System.Text;
using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;

namespace IncidentOps.Ai.Tests;

/// <summary>Bedrock response bodies in their real shapes.</summary>
public static class ConverseShapes
{
    public const string Hypotheses = """{"hypotheses":[{"category":"bad_deploy","cause":"Release 2.3.1 regressed checkout","confidence":0.82,"evidence":["latency began at the deploy"]}]}""";

    public static string ToolUse(string inputJson, int inputTokens = 812, int outputTokens = 96, string stopReason = "tool_use") => $$$"""
        {"output":{"message":{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"report_hypotheses","input":{{{inputJson}}}}}]}},
         "stopReason":"{{{stopReason}}}","usage":{"inputTokens":{{{inputTokens}}},"outputTokens":{{{outputTokens}}},"totalTokens":{{{inputTokens + outputTokens}}}},"metrics":{"latencyMs":431}}
        """;

    public static string GuardrailIntervened => """
        {"output":{"message":{"role":"assistant","content":[{"text":"Sorry, the model cannot answer this request."}]}},
         "stopReason":"guardrail_intervened","usage":{"inputTokens":120,"outputTokens":0,"totalTokens":120},"metrics":{"latencyMs":88}}
        """;

    public static byte[] Event(string eventType, string json) => AwsEventStreamReader.Encode(
        new Dictionary<string, string> { [":event-type"] = eventType, [":content-type"] = "application/json", [":message-type"] = "event" },
        Encoding.UTF8.GetBytes(json));

    public static byte[] Exception(string type, string message) => AwsEventStreamReader.Encode(
        new Dictionary<string, string> { [":exception-type"] = type, [":content-type"] = "application/json", [":message-type"] = "exception" },
        Encoding.UTF8.GetBytes(new JsonObject { ["message"] = message }.ToJsonString()));

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
