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
         "stopReason":"guardrail_intervened","usage":{"inputTokens":120,"outputTokens":0,"totalTokens":120},"metrics":{"latencyMs":88},
         "trace":{"guardrail":{"inputAssessment":{"gr-test":{"contentPolicy":{"filters":[{"type":"PROMPT_ATTACK","confidence":"HIGH","action":"BLOCKED"}]}}}}}}
        """;

    /// <summary>A ConverseStream answer of the forced tool: its JSON input in two deltas, then the stop reason and usage.</summary>
    public static byte[] StructuredStream => Concat(
        Event("messageStart", """{"role":"assistant"}"""),
        Event("contentBlockStart", """{"contentBlockIndex":0,"start":{"toolUse":{"toolUseId":"tooluse_1","name":"report_hypotheses"}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"{\"hypotheses\":[{\"category\":\"latency\","}}}"""),
        Event("contentBlockDelta", """{"contentBlockIndex":0,"delta":{"toolUse":{"input":"\"cause\":\"slow db\",\"confidence\":0.6,\"evidence\":[\"p99\"]}]}"}}}"""),
        Event("contentBlockStop", """{"contentBlockIndex":0}"""),
        Event("messageStop", """{"stopReason":"tool_use"}"""),
        Event("metadata", """{"usage":{"inputTokens":50,"outputTokens":20,"totalTokens":70},"metrics":{"latencyMs":120}}"""));

    public static byte[] Event(string eventType, string json) => AwsEventStreamReader.Encode(
        new Dictionary<string, string> { [":event-type"] = eventType, [":content-type"] = "application/json", [":message-type"] = "event" },
        Encoding.UTF8.GetBytes(json));

    public static byte[] Exception(string type, string message) => AwsEventStreamReader.Encode(
        new Dictionary<string, string> { [":exception-type"] = type, [":content-type"] = "application/json", [":message-type"] = "exception" },
        Encoding.UTF8.GetBytes(new JsonObject { ["message"] = message }.ToJsonString()));

    /// <summary>A failure outside the service model: <c>:message-type error</c>, named in headers, no payload.</summary>
    public static byte[] ErrorFrame(string code, string message) => AwsEventStreamReader.Encode(
        new Dictionary<string, string> { [":message-type"] = "error", [":error-code"] = code, [":error-message"] = message }, []);

    public static byte[] Concat(params byte[][] parts) => [.. parts.SelectMany(p => p)];
}
