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

/// <summary>
/// The API in-process (WebApplicationFactory) on a real redis-server of its own, trusting the real development sign-in
/// provider (<see cref="SignInProvider"/>, over HTTP). <see cref="Client"/> speaks as the monitoring tool on the ingest
/// endpoints (the events token) and as the seeded admin everywhere else; <see cref="As"/> gives one role only.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    public const string WebOrigin = "http://localhost:3000";

    public const int MaxBodyBytes = 64 * 1024;
    public const string EventsToken = "test-events-token";
    public const string AlertmanagerToken = "test-alertmanager-token";
    public const string GrafanaToken = "test-grafana-token";
    public const string CloudWatchToken = "test-cloudwatch-token";

    public RedisServer Redis { get; } = new();

    public FakeSns Sns { get; } = new();

    public WebApplicationFactory<Program> Factory { get; private set; } = null!;

    public SignInProvider SignIn { get; private set; } = null!;

    private readonly List<HttpClient> _roleClients = [];

    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        SignIn = SignInProvider.Start();
        Factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting("Auth:Authority", SignIn.Authority.ToString())
            .UseSetting("Auth:RequireHttpsMetadata", "false")
            .UseSetting("Cors:AllowedOrigins:0", WebOrigin)
            // Three lanes hand each frame out whatever the machine's cores, so the sliced pass is what the hub tests see.
            .UseSetting("Hub:HandoutLanes", "3")
            // Turns of two connections: a hub test with a few screens sees them handed frames as of several reads of the log.
            .UseSetting("Hub:HandoutTurnConnections", "2")
            .UseSetting("RateLimits:PerIdentityPerSecond", "100000")
            .UseSetting("RateLimits:PerIdentityBurst", "100000")
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
        Client = Factory.CreateDefaultClient(new PersonOrMonitoring(EventsToken, await SignIn.TokenAsync("admin")));
        Client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", EventsToken);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        _roleClients.ForEach(c => c.Dispose());
        await Factory.DisposeAsync();
        await SignIn.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>A client signed in as the seeded user of <paramref name="role"/> (viewer, responder, approver, admin), nothing else.</summary>
    public async Task<HttpClient> As(string role)
    {
        var client = Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await SignIn.TokenAsync(role));
        _roleClients.Add(client);
        return client;
    }

    /// <summary>The live hub as the seeded user of <paramref name="role"/> (the token in the query string, as browsers send it).</summary>
    public HubConnection Hub(string role = "viewer") => Hub(Factory, role);

    /// <summary>The live hub of <paramref name="api"/>: e.g. a second API on the same Redis with other settings.</summary>
    public HubConnection Hub(WebApplicationFactory<Program> api, string role = "viewer") => new HubConnectionBuilder()
        .WithUrl(new Uri(api.Server.BaseAddress, "/hubs/ops"), options =>
        {
            options.HttpMessageHandlerFactory = _ => api.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
            options.AccessTokenProvider = async () => await SignIn.TokenAsync(role);
        })
        .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
        .Build();

    /// <summary>
    /// The live hub over WebSockets (the test server's own, reached without negotiation): what the hub's socket of its own,
    /// <see cref="Hubs.FrameSocket"/>, is made for.
    /// </summary>
    public async Task<HubConnection> WebSocketHubAsync(string role = "viewer")
    {
        var token = await SignIn.TokenAsync(role);
        return new HubConnectionBuilder()
            .WithUrl(new Uri(Factory.Server.BaseAddress, "/hubs/ops"), options =>
            {
                options.Transports = HttpTransportType.WebSockets;
                options.SkipNegotiation = true;
                options.WebSocketFactory = async (context, cancellationToken) =>
                {
                    var client = Factory.Server.CreateWebSocketClient();
                    client.ConfigureRequest = request => request.Headers.Authorization = $"Bearer {token}";
                    return await client.ConnectAsync(context.Uri, cancellationToken);
                };
            })
            .AddJsonProtocol(options => options.PayloadSerializerOptions = new JsonSerializerOptions(JsonSerializerDefaults.Web))
            .Build();
    }

    /// <summary>
    /// Sends the default ingest token to ingest endpoints (as monitoring does) and the admin's access token elsewhere
    /// (as a person does); a credential a test set itself is left alone.
    /// </summary>
    private sealed class PersonOrMonitoring(string ingestToken, string personToken) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var ingest = path.StartsWith("/api/v1/events", StringComparison.Ordinal) || path.StartsWith("/api/v1/alerts", StringComparison.Ordinal)
                || (path.StartsWith("/api/v1/changes", StringComparison.Ordinal) && request.Method == HttpMethod.Post);
            if (!ingest && request.Headers.Authorization?.Parameter == ingestToken)
            {
                request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", personToken);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }

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
