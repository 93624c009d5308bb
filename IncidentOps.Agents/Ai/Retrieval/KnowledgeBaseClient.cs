using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>Bedrock Knowledge Bases <c>Retrieve</c> (bedrock-agent-runtime): ranked passages with scores and their source locations.</summary>
public sealed class KnowledgeBaseClient(IHttpClientFactory factory) : AwsJsonClient(factory, AwsClientNames.BedrockAgentRuntime, "bedrock-agent-runtime")
{
    public async Task<IReadOnlyList<RetrievalMatch>> RetrieveAsync(string knowledgeBaseId, string query, int max, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["retrievalQuery"] = new JsonObject { ["text"] = query.Length > 1000 ? query[..1000] : query },
            ["retrievalConfiguration"] = new JsonObject { ["vectorSearchConfiguration"] = new JsonObject { ["numberOfResults"] = max } },
        };
        var json = await PostAsync($"/knowledgebases/{Uri.EscapeDataString(knowledgeBaseId)}/retrieve", body, cancellationToken);
        if (json["retrievalResults"] is not JsonArray results)
        {
            throw Malformed("Retrieve response has no retrievalResults");
        }

        return [.. results.OfType<JsonObject>().Select(r =>
        {
            var text = (string?)r["content"]?["text"] ?? string.Empty;
            var source = LocationOf(r["location"]);
            return new RetrievalMatch(
                RetrievalKind.KnowledgeBase, source.Split('/')[^1], source, Math.Round((double?)r["score"] ?? 0, 3),
                text.Length <= 300 ? text : text[..297] + "...");
        })];
    }

    private static string LocationOf(JsonNode? location) =>
        (string?)location?["s3Location"]?["uri"] ?? (string?)location?["webLocation"]?["url"] ?? (string?)location?["confluenceLocation"]?["url"]
        ?? (string?)location?["customDocumentLocation"]?["id"] ?? (string?)location?["type"] ?? "knowledge-base";
}
