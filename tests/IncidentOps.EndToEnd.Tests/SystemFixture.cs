using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using IncidentOps.Core;

namespace IncidentOps.EndToEnd.Tests;

/// <summary>The real AppHost (redis-server, api, hub, agents, metrics and the Next.js web app) started once for the collection.</summary>
public sealed class SystemFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("incidentops-e2e-").FullName;

    /// <summary>The token the AppHost gives every source in Development.</summary>
    public const string DevelopmentIngestToken = "dev-ingest-token";

    public DistributedApplication App { get; private set; } = null!;

    /// <summary>The API as monitoring calls it: the development ingest token.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>The API as the seeded viewer calls it, signed in at the AppHost's development provider.</summary>
    public HttpClient Viewer { get; private set; } = null!;

    public Uri IdentityUrl => App.GetEndpoint(ResourceNames.Identity, "http");

    public Uri ApiUrl => App.GetEndpoint(ResourceNames.Api, "http");

    /// <summary>The live hub's own service (the API's image in the hub role), where screens connect.</summary>
    public Uri HubUrl => App.GetEndpoint(ResourceNames.Hub, "http");

    public Uri WebUrl => App.GetEndpoint(ResourceNames.Web, "http");

    public async Task InitializeAsync()
    {
        using var cancel = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.IncidentOps_AppHost>(
            [$"--Redis:Mode=executable", $"--Redis:DataDirectory={_dataDirectory}"],
            (options, _) => options.DisableDashboard = true,
            cancel.Token);
        App = await builder.BuildAsync(cancel.Token);
        await App.StartAsync(cancel.Token);

        foreach (var resource in new[] { ResourceNames.Identity, ResourceNames.Api, ResourceNames.Hub, ResourceNames.Agents, ResourceNames.Metrics, ResourceNames.Web })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancel.Token);
        }

        Api = App.CreateHttpClient(ResourceNames.Api, "http");
        Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DevelopmentIngestToken);
        Viewer = App.CreateHttpClient(ResourceNames.Api, "http");
        Viewer.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", await TokenAsync("viewer"));
    }

    /// <summary>An access token of the seeded user with this role, from the real provider's token endpoint (as scripts/dev-token.sh gets one).</summary>
    public async Task<string> TokenAsync(string role)
    {
        using var http = new HttpClient { BaseAddress = IdentityUrl };
        using var response = await http.PostAsync("connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = "incidentops-cli",
            ["username"] = role,
            ["password"] = $"{role}-password",
            ["scope"] = "openid profile roles incidentops-api",
        }));
        response.EnsureSuccessStatusCode();
        var body = await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.JsonElement>(response.Content);
        return body.GetProperty("access_token").GetString()!;
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
        Viewer?.Dispose();
        if (App is not null)
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }

        Directory.Delete(_dataDirectory, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class WholeSystem : ICollectionFixture<SystemFixture>
{
    public const string Name = "system";
}
