using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using IncidentOps.Core.Ingest.Sources;

namespace IncidentOps.Api.Tests;

/// <summary>
/// Stands in for SNS: signs messages as SNS does (SignatureVersion 1 and 2) with a certificate the
/// test makes, serves that certificate to the API, and records subscription confirmations.
/// </summary>
public sealed class FakeSns : ISnsCertificateSource, IDisposable
{
    public const string CertUrl = "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem";
    public const string TopicArn = "arn:aws:sns:eu-west-1:123456789012:incidentops-alarms";
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;

    public FakeSns()
    {
        var request = new CertificateRequest("CN=sns.amazonaws.com", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public ConcurrentQueue<Uri> CertificateFetches { get; } = new();

    public RecordingHandler Confirmations { get; } = new();

    public Task<X509Certificate2> GetAsync(Uri url, CancellationToken cancellationToken)
    {
        CertificateFetches.Enqueue(url);
        return Task.FromResult(url.AbsoluteUri == CertUrl
            ? X509CertificateLoader.LoadCertificate(_certificate.Export(X509ContentType.Cert))
            : throw new InvalidOperationException($"No certificate at {url}."));
    }

    public static string AlarmMessage(string alarmName, string state, string time = "2026-11-25T10:00:00.000+0000", string arnSuffix = "") => JsonSerializer.Serialize(new
    {
        AlarmName = alarmName,
        AlarmDescription = "p99 latency of the orders API",
        AWSAccountId = "123456789012",
        NewStateValue = state,
        NewStateReason = "Threshold Crossed: 1 datapoint [2.31 (25/11/26 09:59:00)] was greater than the threshold (2.0).",
        StateChangeTime = time,
        Region = "EU (Ireland)",
        AlarmArn = $"arn:aws:cloudwatch:eu-west-1:123456789012:alarm:{alarmName}{arnSuffix}",
        OldStateValue = state == "OK" ? "ALARM" : "OK",
        Trigger = new
        {
            MetricName = "TargetResponseTime",
            Namespace = "AWS/ApplicationELB",
            Statistic = "AVERAGE",
            Dimensions = new[] { new { value = "app/orders-alb/50dc6c495c0c9188", name = "LoadBalancer" } },
            Threshold = 2.0,
            ComparisonOperator = "GreaterThanThreshold",
        },
    });

    public SnsMessage Notification(string message, string version = "2", DateTimeOffset? timestamp = null, string? messageId = null) =>
        Sign(new SnsMessage
        {
            Type = SnsMessage.Notification,
            MessageId = messageId ?? Guid.NewGuid().ToString(),
            TopicArn = TopicArn,
            Subject = "ALARM: \"orders-latency\" in EU (Ireland)",
            Message = message,
            Timestamp = (timestamp ?? DateTimeOffset.UtcNow).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            SignatureVersion = version,
            SigningCertUrl = CertUrl,
            UnsubscribeUrl = "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe",
        });

    public SnsMessage SubscriptionConfirmation(string subscribeUrl) => Sign(new SnsMessage
    {
        Type = SnsMessage.SubscriptionConfirmation,
        MessageId = Guid.NewGuid().ToString(),
        Token = "2336412f37fb687f5d51e6e2425c464de12884a3",
        TopicArn = TopicArn,
        Message = $"You have chosen to subscribe to the topic {TopicArn}.",
        SubscribeUrl = subscribeUrl,
        Timestamp = DateTimeOffset.UtcNow.ToString("O"),
        SignatureVersion = "1",
        SigningCertUrl = CertUrl,
    });

    public SnsMessage Sign(SnsMessage message)
    {
        var algorithm = message.SignatureVersion == "1" ? HashAlgorithmName.SHA1 : HashAlgorithmName.SHA256;
        var signature = _key.SignData(Encoding.UTF8.GetBytes(message.StringToSign()), algorithm, RSASignaturePadding.Pkcs1);
        return message with { Signature = Convert.ToBase64String(signature) };
    }

    public void Dispose()
    {
        _certificate.Dispose();
        _key.Dispose();
        Confirmations.Dispose();
    }

    public sealed class RecordingHandler : HttpMessageHandler
    {
        public ConcurrentQueue<Uri> Requests { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests.Enqueue(request.RequestUri!);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("<ConfirmSubscriptionResponse/>") });
        }
    }
}
