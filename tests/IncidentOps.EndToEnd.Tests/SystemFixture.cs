using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using IncidentOps.Core;

namespace IncidentOps.EndToEnd.Tests;

/// <summary>The real AppHost (redis-server, api, agents, metrics and the Next.js web app) started once for the collection.</summary>
public sealed class SystemFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("incidentops-e2e-").FullName;

    /// <summary>The token the AppHost gives every source in Development.</summary>
    public const string DevelopmentIngestToken = "dev-ingest-token";

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Api { get; private set; } = null!;

    public Uri ApiUrl => App.GetEndpoint(ResourceNames.Api, "http");

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

        foreach (var resource in new[] { ResourceNames.Api, ResourceNames.Agents, ResourceNames.Metrics, ResourceNames.Web })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancel.Token);
        }

        Api = App.CreateHttpClient(ResourceNames.Api, "http");
        Api.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DevelopmentIngestToken);
    }

    public async Task DisposeAsync()
    {
        Api?.Dispose();
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
