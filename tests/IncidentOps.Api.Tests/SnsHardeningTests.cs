using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest.Sources;

namespace IncidentOps.Api.Tests;

/// <summary>SNS: only our topics, checked before any certificate is fetched; a certificate cache that callers cannot grow.</summary>
public class SnsHardeningTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private const string Path = $"/api/v1/alerts/cloudwatch/{ApiFixture.CloudWatchToken}";

    private async Task<(HttpStatusCode Status, JsonElement Body)> DeliverAsync(SnsMessage message)
    {
        using var content = new StringContent(JsonSerializer.Serialize(message, OpsJson.Options), Encoding.UTF8, "text/plain");
        using var response = await api.Factory.CreateClient().PostAsync(Path, content);
        if (!response.IsSuccessStatusCode)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }

        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private static string Alarm() => $"sns-hardening-{Guid.NewGuid():N}"[..30];

    [Theory]
    [InlineData("Notification")]
    [InlineData("SubscriptionConfirmation")]
    public async Task A_correctly_signed_message_from_another_topic_is_refused_before_any_certificate_fetch_and_stores_nothing(string type)
    {
        var message = type == "Notification"
            ? api.Sns.Sign(api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM")) with { TopicArn = "arn:aws:sns:eu-west-1:999999999999:someone-elses-topic" })
            : api.Sns.Sign(api.Sns.SubscriptionConfirmation("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&Token=x") with { TopicArn = "arn:aws:sns:eu-west-1:999999999999:someone-elses-topic" });
        var before = await api.Redis.SnapshotAsync();
        var (fetches, confirmations) = (api.Sns.CertificateFetches.Count, api.Sns.Confirmations.Requests.Count);

        var (status, problem) = await DeliverAsync(message);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("TopicArn", problem.GetProperty("field").GetString());
        Assert.Contains("Ingest:CloudWatch:TopicArns", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Redis.SnapshotAsync());
        Assert.Equal((fetches, confirmations), (api.Sns.CertificateFetches.Count, api.Sns.Confirmations.Requests.Count));
    }

    [Fact]
    public async Task A_forged_message_from_an_allowed_topic_is_refused_and_stores_nothing()
    {
        var message = api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM")) with { Message = FakeSns.AlarmMessage(Alarm(), "ALARM") };
        var before = await api.Redis.SnapshotAsync();

        var (status, problem) = await DeliverAsync(message);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("Signature", problem.GetProperty("field").GetString());
        Assert.Equal(before, await api.Redis.SnapshotAsync());
    }

    [Fact]
    public async Task One_certificate_named_with_different_queries_is_fetched_once_without_its_query()
    {
        var fetches = api.Sns.CertificateFetches.Count;
        foreach (var query in new[] { "?v=1", "?v=2", "?v=3" })
        {
            var message = api.Sns.Sign(api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM")) with { SigningCertUrl = FakeSns.CertUrl + query });
            Assert.Equal(HttpStatusCode.Accepted, (await DeliverAsync(message)).Status);
        }

        Assert.InRange(api.Sns.CertificateFetches.Count - fetches, 0, 1);
        Assert.All(api.Sns.CertificateFetches, url => Assert.Equal(string.Empty, url.Query));
    }

    [Fact]
    public async Task The_certificate_cache_is_bounded()
    {
        var source = new AnyPathSource(api.Sns);
        var verifier = new SnsSignatureVerifier(source, TimeProvider.System);
        var paths = Enumerable.Range(0, SnsSignatureVerifier.MaxCachedCertificates * 3).Select(i => $"https://sns.eu-west-1.amazonaws.com/cert-{i}.pem").ToList();

        foreach (var path in paths)
        {
            Assert.Null(await verifier.VerifyAsync(api.Sns.Sign(api.Sns.Notification(FakeSns.AlarmMessage(Alarm(), "ALARM")) with { SigningCertUrl = path }), CancellationToken.None));
        }

        Assert.Equal(paths.Count, source.Fetches);
        Assert.InRange(verifier.CachedCertificates, 1, SnsSignatureVerifier.MaxCachedCertificates);
    }

    /// <summary>Serves the fake's certificate at any path, counting fetches.</summary>
    private sealed class AnyPathSource(FakeSns sns) : ISnsCertificateSource
    {
        private int _fetches;

        public int Fetches => _fetches;

        public Task<X509Certificate2> GetAsync(Uri url, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _fetches);
            return sns.GetAsync(new Uri(FakeSns.CertUrl), cancellationToken);
        }
    }
}
