using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>Amazon Q Business <c>ChatSync</c>: an answer from the company's indexed knowledge, with source attributions.</summary>
public sealed class QBusinessClient(IHttpClientFactory factory) : AwsJsonClient(factory, AwsClientNames.QBusiness, "qbusiness")
{
    public async Task<(string Answer, IReadOnlyList<RetrievalMatch> Sources)> ChatSyncAsync(string applicationId, string question, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["userMessage"] = question, ["clientToken"] = Guid.NewGuid().ToString() };
        // "?sync=" as the SDKs send it: the operation is told apart by the query key, whose value is empty.
        var json = await PostAsync($"/applications/{Uri.EscapeDataString(applicationId)}/conversations?sync=", body, cancellationToken);
        var answer = (string?)json["systemMessage"] ?? throw Malformed("ChatSync response has no systemMessage");
        var sources = (json["sourceAttributions"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => new RetrievalMatch(
                RetrievalKind.KnowledgeBase, (string?)s["title"] ?? "source", (string?)s["url"] ?? (string?)s["title"] ?? "q-business",
                1.0, (string?)s["snippet"] ?? string.Empty))
            .ToList();
        return (answer, sources);
    }
}
