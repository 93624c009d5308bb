using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Api.Hubs;
using IncidentOps.Core;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace IncidentOps.Api.Tests;

/// <summary>
/// Two API hosts on one redis-server, as the AppHost and the AWS stack run them: one in the <c>api</c> role (intake,
/// REST), one in the <c>hub</c> role (the screens' live hub). The hub has no ingest tokens: intake is not its job, and it
/// must start without them outside Development.
/// </summary>
public sealed class TwoRolesFixture : IAsyncLifetime
{
    private const string EventsToken = "roles-events-token";

    public RedisServer Redis { get; } = new();

    public SignInProvider SignIn { get; private set; } = null!;

    public WebApplicationFactory<Program> Api { get; private set; } = null!;

    public WebApplicationFactory<Program> Hub { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        SignIn = SignInProvider.Start();
        Api = Host(ApiRoles.Api, web => web
            .UseSetting("Ingest:Tokens:Events", EventsToken)
            .UseSetting("Ingest:Tokens:Alertmanager", "roles-alertmanager-token")
            .UseSetting("Ingest:Tokens:Grafana", "roles-grafana-token")
            .UseSetting("Ingest:Tokens:CloudWatch", "roles-cloudwatch-token")
            .UseSetting("Ingest:CloudWatch:TopicArns:0", FakeSns.TopicArn));
        Hub = Host(ApiRoles.Hub, _ => { });
        Api.CreateClient().Dispose(); // start both now, so a start-up failure fails here with its message
        Hub.CreateClient().Dispose();
    }

    private WebApplicationFactory<Program> Host(string role, Action<IWebHostBuilder> more) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing")
                .UseSetting(ApiRoles.Setting, role)
                .UseSetting("Auth:Authority", SignIn.Authority.ToString())
                .UseSetting("Auth:RequireHttpsMetadata", "false")
                .UseSetting("Cors:AllowedOrigins:0", ApiFixture.WebOrigin)
                .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", Redis.ConnectionString);
            more(web);
        });

    /// <summary>Monitoring posting a trigger to the api process.</summary>
    public async Task<string> PostAlertAsync(string dedupKey)
    {
        using var client = Api.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", EventsToken);
        using var response = await client.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger(dedupKey));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
    }

    public async Task<HttpClient> AsAsync(WebApplicationFactory<Program> host, string role)
    {
        var client = host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await SignIn.TokenAsync(role));
        return client;
    }

    public HubConnection Screen(WebApplicationFactory<Program> host, string role = "viewer") => new HubConnectionBuilder()
        .WithUrl(new Uri(host.Server.BaseAddress, OpsHub.Path), options =>
        {
            options.HttpMessageHandlerFactory = _ => host.Server.CreateHandler();
            options.Transports = HttpTransportType.LongPolling;
            options.AccessTokenProvider = async () => await SignIn.TokenAsync(role);
        })
        .Build();

    public async Task DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Api.DisposeAsync();
        await SignIn.DisposeAsync();
        await Redis.DisposeAsync();
    }
}

public class ApiRoleTests(TwoRolesFixture roles) : IClassFixture<TwoRolesFixture>
{
    [Fact]
    public async Task An_alert_posted_to_the_api_process_reaches_a_screen_on_the_hub_process_through_Redis()
    {
        // The cursor a dashboard gets from its REST snapshot (the api process), then its stream from the hub process.
        using var viewer = await roles.AsAsync(roles.Api, "viewer");
        var cursor = (await viewer.GetFromJsonAsync<JsonElement>("/api/v1/incidents")).GetProperty("lastEventId").GetString();

        await using var screen = roles.Screen(roles.Hub);
        await screen.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var stream = screen.StreamAsync<JsonElement>("Subscribe", cursor, cancel.Token).GetAsyncEnumerator(cancel.Token);

        // The first alert may arrive by replay from the cursor; the second is posted once the first was seen, when the
        // replay is over, so only the hub's own tail of ops:events can bring it.
        foreach (var key in new[] { "roles-first", "roles-second" })
        {
            var incident = await roles.PostAlertAsync($"{key}-{Guid.NewGuid():N}");
            while (true)
            {
                Assert.True(await stream.MoveNextAsync(), $"the stream ended before {incident} was opened");
                if (stream.Current.GetProperty("type").GetString() == "incident.opened" && stream.Current.GetProperty("incidentId").GetString() == incident)
                {
                    break;
                }
            }
        }
    }

    [Fact]
    public async Task The_hub_process_serves_the_hub_to_signed_in_screens_and_maps_no_intake_or_REST()
    {
        using var anonymous = roles.Hub.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"{OpsHub.Path}/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/dashboard/health")).StatusCode);

        using var admin = await roles.AsAsync(roles.Hub, "admin");
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"{OpsHub.Path}/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger("to-the-hub"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/incidents")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/v1/admin/api-keys")).StatusCode);
    }

    [Fact]
    public async Task The_api_process_serves_no_hub_and_does_not_tail_the_event_log_for_screens()
    {
        using var admin = await roles.AsAsync(roles.Api, "admin");
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"{OpsHub.Path}/negotiate?negotiateVersion=1", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/incidents")).StatusCode);

        Assert.DoesNotContain(roles.Api.Services.GetServices<IHostedService>(), s => s is OpsEventBroadcaster);
        Assert.Contains(roles.Hub.Services.GetServices<IHostedService>(), s => s is OpsEventBroadcaster);
    }

    [Fact]
    public void A_role_that_does_not_exist_stops_the_start_with_a_message_naming_the_setting()
    {
        using var wrong = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting(ApiRoles.Setting, "screens")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", roles.Redis.ConnectionString));
        var error = Assert.ThrowsAny<Exception>(() => wrong.CreateClient());
        Assert.Contains("Api:Role must be all (the default), api or hub; got 'screens'", error.ToString(), StringComparison.Ordinal);
    }
}
