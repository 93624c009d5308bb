using IncidentOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Health;
using Yarp.ReverseProxy.LoadBalancing;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// A load balancer in front of the API replicas, as an ALB without stickiness would be: YARP, round robin over every
/// request and WebSocket, with an active health check on <c>/alive</c> every second that takes a dead replica out.
/// </summary>
public sealed class RoundRobinProxy : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RoundRobinProxy(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<RoundRobinProxy> StartAsync(params Uri[] replicas)
    {
        var address = new Uri($"http://127.0.0.1:{Ports.Free()}");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(address.ToString());
        // Quiet: the API's appsettings.json beside the tests would set Information, and a killed replica is expected here.
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "api", ClusterId = "replicas", Match = new RouteMatch { Path = "{**any}" } }],
            [
                new ClusterConfig
                {
                    ClusterId = "replicas",
                    LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                    Destinations = replicas.Select((uri, i) => (uri, i)).ToDictionary(r => $"replica-{r.i}", r => new DestinationConfig { Address = r.uri.ToString() }),
                    HealthCheck = new HealthCheckConfig
                    {
                        Active = new ActiveHealthCheckConfig
                        {
                            Enabled = true, Interval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(1),
                            Policy = HealthCheckConstants.ActivePolicy.ConsecutiveFailures, Path = "/alive",
                        },
                    },
                },
            ]);
        var app = builder.Build();
        app.MapReverseProxy();
        await app.StartAsync();
        return new RoundRobinProxy(app, address);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
