using System.Text.Json.Nodes;

namespace IncidentOps.Ai.Tests.Conformance;

/// <summary>The comparison the conformance tests rest on finds what it must find.</summary>
public class WireAgreementTests
{
    [Fact]
    public void A_renamed_a_missing_or_a_changed_field_is_a_difference_and_the_same_number_written_differently_is_not()
    {
        var sdk = JsonNode.Parse("""{"Text":"x","LanguageCode":"en","inferenceConfig":{"temperature":0.2,"maxTokens":16},"content":[{"text":"a"}]}""");
        var ours = JsonNode.Parse("""{"Text":"x","Languagecode":"en","inferenceConfig":{"temperature":2e-1,"maxTokens":17},"content":[{"text":"b"}]}""");

        var differences = WireAgreement.Differences("$", sdk, ours).ToList();

        Assert.Equal(
            ["$.LanguageCode: sent by the SDK only", "$.Languagecode: sent by us only", "$.content[0].text: \"a\" vs \"b\"", "$.inferenceConfig.maxTokens: 16 vs 17"],
            differences.Order(StringComparer.Ordinal));
        Assert.Empty(WireAgreement.Differences("$", sdk, JsonNode.Parse(sdk!.ToJsonString())));
    }

    [Fact]
    public void A_different_operation_header_or_path_fails_the_comparison()
    {
        var headers = new Dictionary<string, string> { ["x-amz-target"] = "Comprehend_20171127.DetectSentiment" };
        var sdk = new FakeRequest("/", "Comprehend_20171127.DetectSentiment", JsonNode.Parse("{}"), null, "application/x-amz-json-1.1", "POST", headers);

        WireAgreement.AssertSame(sdk, sdk);
        Assert.ThrowsAny<Exception>(() => WireAgreement.AssertSame(sdk with { Headers = new Dictionary<string, string> { ["x-amz-target"] = "Comprehend.DetectSentiment" } }, sdk));
        Assert.ThrowsAny<Exception>(() => WireAgreement.AssertSame(sdk with { Path = "/?x" }, sdk));
        Assert.ThrowsAny<Exception>(() => WireAgreement.AssertSame(sdk with { SignatureError = "signature mismatch" }, sdk));
    }
}
