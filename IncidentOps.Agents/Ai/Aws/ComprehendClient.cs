using System.Text;
using System.Text.Json.Nodes;

namespace IncidentOps.Agents.Ai.Aws;

/// <summary>A PII span Comprehend found: its type and its character offsets.</summary>
public sealed record PiiEntity(string Type, int Begin, int End, double Score);

/// <summary>Amazon Comprehend <c>DetectSentiment</c> and <c>DetectPiiEntities</c> (JSON 1.1, <c>X-Amz-Target</c>).</summary>
public sealed class ComprehendClient(IHttpClientFactory factory) : AwsJsonClient(factory, AwsClientNames.Comprehend, "comprehend")
{
    // DetectSentiment takes up to 5,000 bytes of UTF-8; DetectPiiEntities 100 KB.
    private const int SentimentMaxBytes = 5000;

    public async Task<SentimentScore> DetectSentimentAsync(string text, CancellationToken cancellationToken)
    {
        var body = new JsonObject { ["Text"] = ClipUtf8(text, SentimentMaxBytes), ["LanguageCode"] = "en" };
        var json = await PostAsync("/", body, cancellationToken, target: "Comprehend_20171127.DetectSentiment");
        var label = (string?)json["Sentiment"] ?? throw Malformed("DetectSentiment response has no Sentiment");
        var scores = json["SentimentScore"] ?? throw Malformed("DetectSentiment response has no SentimentScore");
        var positive = (double?)scores["Positive"] ?? 0;
        var negative = (double?)scores["Negative"] ?? 0;
        var parsed = Enum.TryParse<SentimentLabel>(label, ignoreCase: true, out var l) ? l : throw Malformed($"unknown Sentiment '{label}'");
        var score = Math.Round(positive - negative, 3);
        return new SentimentScore(parsed, score, Math.Round(Math.Min(1, negative * 0.8), 2), "comprehend",
            [$"positive {positive:0.00}", $"negative {negative:0.00}", $"neutral {(double?)scores["Neutral"] ?? 0:0.00}", $"mixed {(double?)scores["Mixed"] ?? 0:0.00}"]);
    }

    public async Task<IReadOnlyList<PiiEntity>> DetectPiiEntitiesAsync(string text, CancellationToken cancellationToken)
    {
        var json = await PostAsync("/", new JsonObject { ["Text"] = text, ["LanguageCode"] = "en" }, cancellationToken, target: "Comprehend_20171127.DetectPiiEntities");
        if (json["Entities"] is not JsonArray entities)
        {
            throw Malformed("DetectPiiEntities response has no Entities");
        }

        return [.. entities.OfType<JsonObject>().Select(e => new PiiEntity(
            (string?)e["Type"] ?? "PII", (int?)e["BeginOffset"] ?? 0, (int?)e["EndOffset"] ?? 0, (double?)e["Score"] ?? 0))];
    }

    private static string ClipUtf8(string text, int maxBytes)
    {
        if (Encoding.UTF8.GetByteCount(text) <= maxBytes)
        {
            return text;
        }

        var end = Math.Min(text.Length, maxBytes);
        while (Encoding.UTF8.GetByteCount(text.AsSpan(0, end)) > maxBytes)
        {
            end--;
        }

        return text[..end];
    }
}
