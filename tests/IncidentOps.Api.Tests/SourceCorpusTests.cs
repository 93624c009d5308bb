using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Events;

namespace IncidentOps.Api.Tests;

/// <summary>
/// The bad-input corpus, for every webhook endpoint: each case answers 4xx problem+json (413 for
/// oversize), never 5xx, and stores nothing.
/// </summary>
public class SourceCorpusTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Am = $"/api/v1/alerts/alertmanager/{ApiFixture.AlertmanagerToken}";
    private const string Grafana = $"/api/v1/alerts/grafana/{ApiFixture.GrafanaToken}";

    private static string AmAlert(string status = "\"firing\"", string labels = """{"alertname":"X","service":"s"}""", string startsAt = "\"2026-11-25T10:00:00Z\"") =>
        $$"""{"status":{{status}},"labels":{{labels}},"annotations":{},"startsAt":{{startsAt}},"endsAt":"0001-01-01T00:00:00Z","fingerprint":"f1"}""";

    private static string AmBody(string alerts) => $$"""{"version":"4","groupKey":"{}:{}","status":"firing","receiver":"r","alerts":[{{alerts}}]}""";

    public static TheoryData<string, string, string> Cases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var path in new[] { Am, Grafana })
        {
            data.Add(path, "malformed JSON", """{"alerts":[{"status":""");
            data.Add(path, "alerts not an array", """{"groupKey":"{}:{}","alerts":{"a":1}}""");
            data.Add(path, "labels not an object", AmBody(AmAlert(labels: "[1,2]")));
            data.Add(path, "label value not a string", AmBody(AmAlert(labels: """{"alertname":{"x":1}}""")));
            data.Add(path, "null label value", AmBody(AmAlert(labels: """{"alertname":null}""")));
            data.Add(path, "missing alerts", """{"version":"4","groupKey":"{}:{}","status":"firing"}""");
            data.Add(path, "missing labels", AmBody(AmAlert(labels: "{}")));
            data.Add(path, "unknown status", AmBody(AmAlert(status: "\"exploding\"")));
            data.Add(path, "status wrong type", AmBody(AmAlert(status: "7")));
            data.Add(path, "invalid timestamp", AmBody(AmAlert(startsAt: "\"last tuesday\"")));
            data.Add(path, "missing startsAt", AmBody(AmAlert(startsAt: "null")));
            data.Add(path, "over-long label value", AmBody(AmAlert(labels: $$"""{"alertname":"{{new string('x', 5000)}}"}""")));
            data.Add(path, "too many alerts", AmBody(string.Join(',', Enumerable.Repeat(AmAlert(), 1001))));
            data.Add(path, "null alert", AmBody("null"));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_bad_body_is_a_4xx_problem_and_stores_nothing(string path, string problem, string body)
    {
        var (status, json) = await PostAsync(path, Encoding.UTF8.GetBytes(body), "application/json");

        Assert.True(status is >= 400 and < 500, $"{problem} on {path}: got {status}: {json}");
        Assert.Equal(JsonValueKind.Number, json.GetProperty("status").ValueKind);
    }

    [Theory]
    [InlineData(Am)]
    [InlineData(Grafana)]
    [InlineData($"/api/v1/alerts/cloudwatch/{ApiFixture.CloudWatchToken}")]
    [InlineData("/api/v1/events")]
    public async Task Oversize_bodies_are_413_and_non_UTF8_bodies_400(string path)
    {
        var huge = Encoding.UTF8.GetBytes(AmBody(AmAlert(labels: $$"""{"alertname":"{{new string('x', ApiFixture.MaxBodyBytes)}}"}""")));
        var (status, _) = await PostAsync(path, huge, "application/json");
        Assert.Equal(413, status);

        byte[] broken = [.. Encoding.UTF8.GetBytes("""{"version":"4","groupKey":"\"""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"}")];
        var (brokenStatus, _) = await PostAsync(path, broken, "application/json");
        Assert.Equal(400, brokenStatus);
    }

    public static TheoryData<string, object> SnsCases() => new()
    {
        { "not SNS at all", new { hello = "world" } },
        { "unknown type", new { Type = "Gossip", MessageId = "m1" } },
        { "signature wrong type", new { Type = "Notification", MessageId = "m1", Signature = 12 } },
    };

    [Theory]
    [MemberData(nameof(SnsCases))]
    public async Task Bad_SNS_envelopes_are_4xx(string problem, object body)
    {
        var (status, json) = await PostAsync($"/api/v1/alerts/cloudwatch/{ApiFixture.CloudWatchToken}", JsonSerializer.SerializeToUtf8Bytes(body), "text/plain");

        Assert.True(status is >= 400 and < 500, $"{problem}: got {status}: {json}");
    }

    [Theory]
    [InlineData("not JSON", "{{{")]
    [InlineData("missing AlarmName", """{"AlarmArn":"arn:aws:cloudwatch:eu-west-1:1:alarm:x","NewStateValue":"ALARM","StateChangeTime":"2026-11-25T10:00:00.000+0000"}""")]
    [InlineData("unknown state", """{"AlarmName":"x","AlarmArn":"arn:aws:cloudwatch:eu-west-1:1:alarm:x","NewStateValue":"PANIC","StateChangeTime":"2026-11-25T10:00:00.000+0000"}""")]
    [InlineData("bad time", """{"AlarmName":"x","AlarmArn":"arn:aws:cloudwatch:eu-west-1:1:alarm:x","NewStateValue":"ALARM","StateChangeTime":"soon"}""")]
    [InlineData("dimensions wrong type", """{"AlarmName":"x","AlarmArn":"a","NewStateValue":"ALARM","StateChangeTime":"2026-11-25T10:00:00.000+0000","Trigger":{"Dimensions":"none"}}""")]
    public async Task A_genuine_SNS_message_carrying_a_bad_alarm_is_400(string problem, string alarm)
    {
        var message = api.Sns.Notification(alarm);

        var (status, json) = await PostAsync($"/api/v1/alerts/cloudwatch/{ApiFixture.CloudWatchToken}", JsonSerializer.SerializeToUtf8Bytes(message, OpsJson.Options), "text/plain");

        Assert.True(status == 400, $"{problem}: got {status}: {json}");
    }

    private async Task<(int Status, JsonElement Json)> PostAsync(string path, byte[] body, string contentType)
    {
        var before = await api.Redis.SnapshotAsync();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        using var response = await api.Client.PostAsync(path, content);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(before, await api.Redis.SnapshotAsync());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }
}
