using System.Text.Json.Nodes;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Ai.TextExtraction;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Ai.Tests.Conformance;

/// <summary>Q Business ChatSync (REST-JSON), Comprehend and Textract (JSON 1.1, X-Amz-Target) against the official SDK.</summary>
[Collection(AiTests.Name)]
public class JsonServicesConformanceTests(AiFixture fixture)
{
    [Fact]
    public async Task ChatSync_request_is_the_sdks_and_its_answer_and_attributions_read_the_same()
    {
        var client = fixture.Services().GetRequiredService<QBusinessClient>();
        fixture.Aws.Respond = _ => FakeResponse.Ok(AwsShapes.ChatSyncAnswer);
        const string question = "how do we fix consumer lag on orders?";

        // The client token is an idempotency token our client generates per call: the SDK is given the same one.
        var ((answer, sources), sdk) = await SdkConformance.BothAsync(
            fixture.Aws, () => client.ChatSyncAsync("a1b2c3d4-app", question, CancellationToken.None), "chatSync",
            ours => new JsonObject { ["applicationId"] = "a1b2c3d4-app", ["userMessage"] = question, ["clientToken"] = (string?)ours.Body!["clientToken"] });

        Assert.Equal((string?)sdk.Out["systemMessage"], answer);
        var attributions = sdk.Out["sourceAttributions"]!.AsArray();
        Assert.Equal(attributions.Count, sources.Count);
        Assert.Equal((string?)attributions[0]!["url"], sources[0].Source);
        Assert.Equal((string?)attributions[0]!["title"], sources[0].Title);
        Assert.Equal((string?)attributions[0]!["snippet"], sources[0].Snippet);
        Assert.Equal(1, (int?)attributions[0]!["citationNumber"]);
    }

    [Fact]
    public async Task DetectSentiment_request_is_the_sdks_and_its_scores_read_the_same()
    {
        var client = fixture.Services().GetRequiredService<ComprehendClient>();
        fixture.Aws.Respond = _ => FakeResponse.Ok(AwsShapes.Sentiment);
        const string text = "Customers are furious: checkout has been down for an hour.";

        var (ours, sdk) = await SdkConformance.BothAsync(
            fixture.Aws, () => client.DetectSentimentAsync(text, CancellationToken.None), "detectSentiment", new JsonObject { ["Text"] = text, ["LanguageCode"] = "en" });

        Assert.Equal(Enum.Parse<SentimentLabel>((string)sdk.Out["Sentiment"]!, ignoreCase: true), ours.Label);
        var scores = sdk.Out["SentimentScore"]!;
        Assert.Equal(Math.Round((double)scores["Positive"]! - (double)scores["Negative"]!, 3), ours.Score);
    }

    [Fact]
    public async Task DetectPiiEntities_request_is_the_sdks_with_its_language_code_and_its_entities_read_the_same()
    {
        var client = fixture.Services().GetRequiredService<ComprehendClient>();
        fixture.Aws.Respond = _ => FakeResponse.Ok(AwsShapes.PiiEntities);
        const string text = "Alice called, alice@example.com, about the outage";

        var (ours, sdk) = await SdkConformance.BothAsync(
            fixture.Aws, () => client.DetectPiiEntitiesAsync(text, CancellationToken.None), "detectPiiEntities", new JsonObject { ["Text"] = text, ["LanguageCode"] = "en" });

        var entities = sdk.Out["Entities"]!.AsArray()
            .Select(e => new PiiEntity((string)e!["Type"]!, (int)e["BeginOffset"]!, (int)e["EndOffset"]!, (double)e["Score"]!));
        Assert.Equal(entities, ours);
    }

    [Fact]
    public async Task DetectDocumentText_request_is_the_sdks_and_its_lines_read_the_same()
    {
        var client = fixture.Services().GetRequiredService<TextractClient>();
        fixture.Aws.Respond = _ => FakeResponse.Ok(AwsShapes.TextractLines);
        byte[] document = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 1, 2, 250];

        var ((text, pages), sdk) = await SdkConformance.BothAsync(
            fixture.Aws, () => client.DetectDocumentTextAsync(document, CancellationToken.None), "detectDocumentText",
            new JsonObject { ["Document"] = new JsonObject { ["Bytes"] = Convert.ToBase64String(document) } });

        var lines = sdk.Out["Blocks"]!.AsArray().Where(b => (string?)b!["BlockType"] == "LINE").Select(b => (string)b!["Text"]!);
        Assert.Equal(string.Join('\n', lines), text.Text);
        Assert.Equal((int?)sdk.Out["DocumentMetadata"]!["Pages"], pages);
    }
}
