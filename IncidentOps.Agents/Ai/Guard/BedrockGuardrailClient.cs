using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;

namespace IncidentOps.Agents.Ai.Guard;

/// <summary>What a Bedrock guardrail made of a text: intervened or not, the text it substitutes, and which policies fired.</summary>
public sealed record GuardrailOutcome(bool Intervened, string? OutputText, IReadOnlyList<string> Findings, long TextUnits);

/// <summary>Bedrock <c>ApplyGuardrail</c> (bedrock-runtime): checks input before a model sees it and output before anyone acts on it.</summary>
public sealed class BedrockGuardrailClient(IHttpClientFactory factory) : AwsJsonClient(factory, AwsClientNames.BedrockRuntime, "bedrock-runtime")
{
    public async Task<GuardrailOutcome> ApplyAsync(string guardrailId, string version, bool isInput, string text, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["source"] = isInput ? "INPUT" : "OUTPUT",
            ["content"] = new JsonArray(new JsonObject { ["text"] = new JsonObject { ["text"] = text } }),
        };
        var json = await PostAsync($"/guardrail/{Uri.EscapeDataString(guardrailId)}/version/{Uri.EscapeDataString(version)}/apply", body, cancellationToken);
        var action = (string?)json["action"] ?? throw Malformed("ApplyGuardrail response has no action");
        var output = json["outputs"] is JsonArray outputs && outputs.Count > 0 ? string.Join("\n", outputs.Select(o => (string?)o?["text"])) : null;
        var findings = new List<string>();
        foreach (var assessment in json["assessments"]?.AsArray() ?? [])
        {
            if (assessment is not JsonObject a)
            {
                continue;
            }

            foreach (var (policy, value) in a)
            {
                findings.AddRange(Findings(policy, value));
            }
        }

        // Billed text units: every "...Units" figure but the free ones (automatedReasoningPolicies is a count of policies, not units).
        var units = json["usage"] is JsonObject usage
            ? usage.Where(kv => kv.Key.EndsWith("Units", StringComparison.Ordinal) && !kv.Key.EndsWith("FreeUnits", StringComparison.Ordinal))
                .Sum(kv => kv.Value is JsonValue v && v.TryGetValue<long>(out var n) ? n : 0)
            : 0;
        return new GuardrailOutcome(action == "GUARDRAIL_INTERVENED", output, findings, units);
    }

    // Assessments nest lists of {type|name, action}; a flat "policy: type (action)" list is what a person reads.
    private static IEnumerable<string> Findings(string policy, JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return array.SelectMany(item => Findings(policy, item));
            case JsonObject obj when obj["action"] is not null:
                return [$"{policy}: {(string?)obj["type"] ?? (string?)obj["name"] ?? (string?)obj["match"] ?? "match"} ({(string?)obj["action"]})"];
            case JsonObject obj:
                return obj.SelectMany(kv => Findings(policy, kv.Value));
            default:
                return [];
        }
    }
}
