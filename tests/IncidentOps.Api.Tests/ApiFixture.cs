using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.TestHost;
using IncidentOps.Core.Ingest.Sources;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Api.Tests;

/// <summary>The API in-process (WebApplicationFactory) on a real redis-server of its own.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const int MaxBodyBytes = 64 * 1024;
    public const string EventsToken = "test-events-token";
    public const string AlertmanagerToken = "test-alertmanager-token";
    public const string GrafanaToken = "test-grafana-token";
    public const string CloudWatchToken = "test-cloudwatch-token";

    public RedisServer Redis { get; } = new();

    public FakeSns Sns { get; } = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", Redis.ConnectionString)
            .UseSetting("Ingest:MaxBodyBytes", MaxBodyBytes.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .UseSetting("Ingest:Tokens:Events", EventsToken)
            .UseSetting("Ingest:Tokens:Alertmanager", AlertmanagerToken)
            // Stored hashed in configuration: sha256 of "test-grafana-token", plus a second (rotated) token.
            .UseSetting("Ingest:Tokens:Grafana", $"sha256:{Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(GrafanaToken)))}, old-grafana-token")
            .UseSetting("Ingest:Tokens:CloudWatch", CloudWatchToken)
            .UseSetting("Ingest:CloudWatch:TopicArns:0", FakeSns.TopicArn)
            .ConfigureTestServices(services =>
            {
                // SNS: the test's own signing certificate, and a recorder in place of sns.<region>.amazonaws.com.
                services.AddSingleton<ISnsCertificateSource>(Sns);
                services.AddHttpClient(Apis.CloudWatchApi.SnsHttpClient).ConfigurePrimaryHttpMessageHandler(() => Sns.Confirmations);
            }));
        Client = Factory.CreateClient();
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", EventsToken);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Factory.DisposeAsync();
        await Redis.DisposeAsync();
    }

    public HubConnection Hub() => new HubConnectionBuilder()
        .WithUrl(new Uri(Factory.Server.BaseAddress, "/hubs/ops"), options =>
        {
            options.HttpMessageHandlerFactory = _ => Factory.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
        })
        .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
        .Build();

    /// <summary>An Events v2 trigger. Each dedup key gets a service of its own unless one is given, so that
    /// tests that do not test grouping do not group with each other.</summary>
    public static object Trigger(string dedupKey, string summary = "Checkout error rate above 5%", string severity = "critical", string? service = null) => new
    {
        routing_key = "team-checkout",
        event_action = "trigger",
        dedup_key = dedupKey,
        payload = new { summary, source = service ?? $"checkout-{dedupKey}", severity, component = "payments", custom_details = new { error_rate = 0.071 } },
    };

    public async Task<JsonElement> PostAsync(object body, int expectedStatus = 202)
    {
        using var response = await Client.PostAsJsonAsync("/api/v1/events", body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == expectedStatus, $"Expected {expectedStatus}, got {(int)response.StatusCode}: {json}");
        return json;
    }
}
