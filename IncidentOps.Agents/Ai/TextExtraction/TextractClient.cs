using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai.Aws;

namespace IncidentOps.Agents.Ai.TextExtraction;

/// <summary>Amazon Textract <c>DetectDocumentText</c> (JSON 1.1): the LINE blocks of a PNG, JPEG, TIFF or single-page PDF.</summary>
public sealed class TextractClient(IHttpClientFactory factory) : AwsJsonClient(factory, AwsClientNames.Textract, "textract")
{
    public async Task<(ExtractedText Text, int Pages)> DetectDocumentTextAsync(byte[] document, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["Document"] = new JsonObject { ["Bytes"] = Convert.ToBase64String(document) } };
        var json = await PostAsync("/", body, cancellationToken, target: "Textract.DetectDocumentText");
        if (json["Blocks"] is not JsonArray blocks)
        {
            throw Malformed("DetectDocumentText response has no Blocks");
        }

        var lines = blocks.OfType<JsonObject>().Where(b => (string?)b["BlockType"] == "LINE").Select(b => (string?)b["Text"] ?? string.Empty).ToList();
        var pages = (int?)json["DocumentMetadata"]?["Pages"] ?? 1;
        return (new ExtractedText(string.Join('\n', lines), lines.Count, "textract"), pages);
    }
}
