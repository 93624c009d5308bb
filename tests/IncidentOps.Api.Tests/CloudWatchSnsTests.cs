using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest.Sources;

namespace IncidentOps.Api.Tests;

public class CloudWatchSnsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Path = $"/api/v1/alerts/cloudwatch/{ApiFixture.CloudWatchToken}";

    private async Task<(HttpStatusCode Status, JsonElement Body)> DeliverAsync(SnsMessage message, string path = Path)
    {
        // SNS posts JSON with Content-Type text/plain.
        using var content = new StringContent(JsonSerializer.Serialize(message, OpsJson.Options), Encoding.UTF8, "text/plain");
        using var response = await api.Factory.CreateClient().PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Alarm() => $"orders-latency-{Guid.NewGuid():N}"[..30];

    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task A_signed_alarm_opens_an_incident_and_OK_mitigates_it(string signatureVersion)
    {
        var alarm = Alarm();
        var (status, body) = await DeliverAsync(api.Sns.Notification(FakeSns.AlarmMessage(alarm, "ALARM"), signatureVersion));

        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = body.GetProperty("alerts")[0].GetProperty("incidentId").GetString()!;
        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var alert = detail.GetProperty("alerts")[0];
        Assert.Equal("error", alert.GetProperty("severity").GetString());
        Assert.Equal("app/orders-alb/50dc6c495c0c9188", alert.GetProperty("service").GetString());
        Assert.Equal("EU (Ireland)", alert.GetProperty("labels").GetProperty("region").GetString());
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), alert.GetProperty("occurredAt").GetDateTimeOffset());
        Assert.Contains("region=eu-west-1", alert.GetProperty("sourceUrl").GetString(), StringComparison.Ordinal);

        var (okStatus, ok) = await DeliverAsync(api.Sns.Notification(FakeSns.AlarmMessage(alarm, "OK", "2026-11-25T10:12:30.000+0000"), signatureVersion));
        Assert.Equal(HttpStatusCode.Accepted, okStatus);
        Assert.Equal("mitigated", ok.GetProperty("alerts")[0].GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task A_redelivered_message_id_changes_nothing()
    {
        var message = api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM"));
        await DeliverAsync(message);
        var stored = await api.Redis.SnapshotAsync();

        var (status, body) = await DeliverAsync(message);

        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal("duplicate", body.GetProperty("delivery").GetString());
        Assert.Equal(stored, await api.Redis.SnapshotAsync());
    }

    public static TheoryData<string> Forgeries => ["altered", "unsigned", "foreign certificate host", "http certificate", "unknown version", "stale", "garbage signature"];

    [Theory]
    [MemberData(nameof(Forgeries))]
    public async Task Forged_unsigned_and_replayed_messages_are_refused_and_store_nothing(string forgery)
    {
        var genuine = api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM"));
        var message = forgery switch
        {
            "altered" => genuine with { Message = FakeSns.AlarmMessage("someone-elses-alarm", "ALARM") },
            "unsigned" => genuine with { Signature = null },
            "foreign certificate host" => api.Sns.Sign(genuine with { SigningCertUrl = "https://sns.eu-west-1.amazonaws.com.evil.example/cert.pem" }),
            "http certificate" => api.Sns.Sign(genuine with { SigningCertUrl = "http://sns.eu-west-1.amazonaws.com/cert.pem" }),
            "unknown version" => api.Sns.Sign(genuine with { SignatureVersion = "3" }),
            "stale" => api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM"), timestamp: DateTimeOffset.UtcNow.AddHours(-2)),
            _ => genuine with { Signature = Convert.ToBase64String(new byte[256]) },
        };
        var before = await api.Redis.SnapshotAsync();

        var (status, body) = await DeliverAsync(message);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Contains("rejected", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Redis.SnapshotAsync());
        Assert.DoesNotContain(api.Sns.CertificateFetches, u => u.Host.Contains("evil", StringComparison.Ordinal) || u.Scheme == "http");
    }

    [Fact]
    public async Task A_subscription_is_confirmed_only_at_an_SNS_host()
    {
        var good = "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=x&Token=2336412f";
        var (status, body) = await DeliverAsync(api.Sns.SubscriptionConfirmation(good));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("subscribed", body.GetProperty("status").GetString());
        Assert.Contains(api.Sns.Confirmations.Requests, u => u.AbsoluteUri == good);

        var (evilStatus, _) = await DeliverAsync(api.Sns.SubscriptionConfirmation("https://attacker.example/confirm"));
        Assert.Equal(HttpStatusCode.BadRequest, evilStatus);
        Assert.DoesNotContain(api.Sns.Confirmations.Requests, u => u.Host == "attacker.example");
    }

    [Fact]
    public async Task Without_the_token_even_a_genuine_message_is_401()
    {
        var (status, _) = await DeliverAsync(api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM")), "/api/v1/alerts/cloudwatch/not-the-token");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Theory]
    [InlineData("2026-11-25T10:00:00.000+0000", "2026-11-25T10:00:00Z")]
    [InlineData("2026-11-25T12:30:05.123+0230", "2026-11-25T10:00:05.123Z")]
    [InlineData("2026-11-25T10:00:00Z", "2026-11-25T10:00:00Z")]
    public void CloudWatch_times_with_a_plus_0000_offset_parse(string text, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), CloudWatchNormaliser.ParseTime(text));

    [Fact]
    public void Metric_math_alarms_keep_their_metrics()
    {
        var alarm = new CloudWatchAlarm
        {
            AlarmName = "error-ratio", AlarmArn = "arn:aws:cloudwatch:us-east-1:1:alarm:error-ratio", NewStateValue = "ALARM",
            StateChangeTime = "2026-11-25T10:00:00.000+0000",
            Trigger = new CloudWatchTrigger { Metrics = JsonDocument.Parse("""[{"Id":"e1","Expression":"m1/m2"}]""").RootElement },
        };

        var (alert, errors) = CloudWatchNormaliser.Normalise(alarm, "m-1");

        Assert.Empty(errors);
        Assert.Equal("m1/m2", alert!.Details!.Value.GetProperty("metrics")[0].GetProperty("Expression").GetString());
    }
}
