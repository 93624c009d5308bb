using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IncidentOps.Api.Tests;

/// <summary>Every bad body gets a 4xx problem+json that names the problem, and nothing is stored.</summary>
public class BadInputTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string ValidPayload = """{"summary":"Disk full","source":"db-1","severity":"error"}""";

    public static TheoryData<string, string, int, string> Bodies => new()
    {
        { "malformed JSON", """{"routing_key":"k","event_action":"trigger",""", 400, "not valid JSON" },
        { "trailing garbage", """{"routing_key":"k","event_action":"trigger"} hello""", 400, "not valid JSON" },
        { "a JSON array", "[1,2,3]", 400, "JSON object" },
        { "JSON null", "null", 400, "JSON object" },
        { "number where a string belongs", $$"""{"routing_key":42,"event_action":"trigger","payload":{{ValidPayload}}}""", 400, "routing_key" },
        { "object where a string belongs", """{"routing_key":"k","event_action":"trigger","payload":{"summary":{"a":1},"source":"db-1","severity":"error"}}""", 400, "payload.summary" },
        { "string where an object belongs", """{"routing_key":"k","event_action":"trigger","payload":"disk full"}""", 400, "payload" },
        { "missing routing_key", $$"""{"event_action":"trigger","payload":{{ValidPayload}}}""", 400, "routing_key" },
        { "missing payload", """{"routing_key":"k","event_action":"trigger"}""", 400, "payload" },
        { "missing summary", """{"routing_key":"k","event_action":"trigger","payload":{"source":"db-1","severity":"error"}}""", 400, "payload.summary" },
        { "unknown event_action", $$"""{"routing_key":"k","event_action":"explode","payload":{{ValidPayload}}}""", 400, "event_action" },
        { "unknown severity", """{"routing_key":"k","event_action":"trigger","payload":{"summary":"x","source":"y","severity":"apocalyptic"}}""", 400, "payload.severity" },
        { "invalid timestamp", """{"routing_key":"k","event_action":"trigger","payload":{"summary":"x","source":"y","severity":"info","timestamp":"32/13/2026"}}""", 400, "payload.timestamp" },
        { "over-long summary", "{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":{\"summary\":\"" + new string('s', 2000) + "\",\"source\":\"y\",\"severity\":\"info\"}}", 400, "payload.summary" },
        { "empty body", "", 400, "empty" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_bad_body_is_a_named_4xx_problem_and_stores_nothing(string problem, string body, int status, string named)
    {
        var (response, json) = await PostRawAsync(Encoding.UTF8.GetBytes(body), "application/json");

        AssertProblem(response, status, json, named, problem);
    }

    [Fact]
    public async Task A_body_over_the_limit_is_413()
    {
        var huge = Body("{\"blob\":\"" + new string('a', ApiFixture.MaxBodyBytes) + "\"}");

        var (response, json) = await PostRawAsync(Encoding.UTF8.GetBytes(huge), "application/json");

        AssertProblem(response, 413, json, "limit", "oversize body");
    }

    [Fact]
    public async Task A_huge_array_in_custom_details_over_the_limit_is_413()
    {
        var items = string.Join(',', Enumerable.Repeat("1", ApiFixture.MaxBodyBytes));
        var body = Body("{\"values\":[" + items + "]}");

        var (response, json) = await PostRawAsync(Encoding.UTF8.GetBytes(body), "application/json");

        AssertProblem(response, 413, json, "limit", "huge array");
    }

    [Fact]
    public async Task Non_UTF8_bytes_are_a_400_problem()
    {
        var prefix = Encoding.UTF8.GetBytes("""{"routing_key":"k","event_action":"trigger","payload":{"summary":"bad """);
        var suffix = Encoding.UTF8.GetBytes("\",\"source\":\"y\",\"severity\":\"info\"}}");
        byte[] body = [.. prefix, 0xC3, 0x28, 0xFF, .. suffix];

        var (response, json) = await PostRawAsync(body, "application/json");

        AssertProblem(response, 400, json, "JSON", "non-UTF-8 bytes");
    }

    [Theory]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("application/x-json-evil")]
    [InlineData("text/json-ish")]
    [InlineData(null)]
    public async Task A_body_that_is_not_declared_JSON_is_415(string? contentType)
    {
        var (response, json) = await PostRawAsync(Encoding.UTF8.GetBytes(Body("{}")), contentType);

        AssertProblem(response, 415, json, "JSON", contentType ?? "no Content-Type");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/vnd.pagerduty+json")]
    public async Task JSON_types_are_accepted(string contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body("{}")));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await api.Client.PostAsync("/api/v1/events", content);

        Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
    }

    private static string Body(string customDetails) =>
        "{\"routing_key\":\"k\",\"event_action\":\"trigger\",\"payload\":{\"summary\":\"x\",\"source\":\"y\",\"severity\":\"info\",\"custom_details\":" + customDetails + "}}";

    private async Task<(HttpResponseMessage Response, JsonElement Json)> PostRawAsync(byte[] body, string? contentType)
    {
        var before = await api.Redis.SnapshotAsync();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        var response = await api.Client.PostAsync("/api/v1/events", content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(before, await api.Redis.SnapshotAsync());
        return (response, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void AssertProblem(HttpResponseMessage response, int status, JsonElement json, string named, string problem)
    {
        Assert.True((int)response.StatusCode == status, $"{problem}: expected {status}, got {(int)response.StatusCode}: {json}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(named, json.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(status, json.GetProperty("status").GetInt32());
    }
}
