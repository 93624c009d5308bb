using System.Diagnostics;
using IncidentOps.Api.Access;
using IncidentOps.Api.Hubs;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace IncidentOps.Api.Apis;

public static class DashboardHealthApi
{
    public static IEndpointRouteBuilder MapDashboardHealthApi(this IEndpointRouteBuilder app)
    {
        // The load balancer's check has no credentials and learns nothing but up or down.
        var probe = app.MapGroup("/dashboard/health").WithTags("Health").AllowAnonymous();
        var detail = app.MapGroup("/dashboard/health").WithTags("Health").RequireAuthorization(AccessPolicies.Viewer);

        probe.MapGet("/", Health)
            .WithName("DashboardHealth")
            .WithSummary("Cheap liveness for a load balancer: no I/O, only whether the Redis connection is up.");

        detail.MapGet("/detailed", Detailed)
            .WithName("DashboardHealthDetailed")
            .WithSummary("Redis reachability and latency, stream lengths, consumer-group lag, live hub connections, AI service health.");

        return app;
    }

    public static Results<Ok<BasicHealth>, JsonHttpResult<BasicHealth>> Health(IConnectionMultiplexer redis) =>
        redis.IsConnected
            ? TypedResults.Ok(new BasicHealth("ok"))
            : TypedResults.Json(new BasicHealth("redis-disconnected"), statusCode: StatusCodes.Status503ServiceUnavailable);

    public static async Task<Results<Ok<DetailedHealth>, JsonHttpResult<DetailedHealth>>> Detailed(
        IConnectionMultiplexer redis, HubConnectionCounter hub, AiUsageStore aiUsage)
    {
        var db = redis.GetDatabase();
        try
        {
            var started = Stopwatch.GetTimestamp();
            await db.PingAsync();
            var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;

            var streams = new[] { RedisKeys.OpsEvents, RedisKeys.AgentsWork };
            var lengths = await Task.WhenAll(streams.Select(s => db.StreamLengthAsync(s)));
            var groups = new List<ConsumerGroupHealth>();
            foreach (var (stream, group) in new[] { (RedisKeys.AgentsWork, RedisKeys.AgentsGroup), (RedisKeys.OpsEvents, RedisKeys.MetricsGroup) })
            {
                groups.Add(await GroupHealthAsync(db, stream, group));
            }

            var ai = await aiUsage.ReportAsync();
            return TypedResults.Ok(new DetailedHealth(
                "ok",
                new RedisHealth(true, Math.Round(latency, 3)),
                streams.Zip(lengths, (name, length) => new StreamHealth(name, length)).ToList(),
                groups,
                hub.Count)
            {
                AiServices = [.. ai.Services.Select(s => new AiServiceHealth(s.Service, s.Health, s.HealthReason, s.LastHour.Calls, s.LastHour.ErrorRate, s.LastHour.LatencyP95Ms))],
                AiCatalog = [.. ai.Catalog.Select(s => new AiCatalogHealth(s.Id, s.Name, s.State, s.StateReason))],
            });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return TypedResults.Json(
                new DetailedHealth("redis-unreachable", new RedisHealth(false, null), [], [], hub.Count),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static async Task<ConsumerGroupHealth> GroupHealthAsync(IDatabase db, string stream, string group)
    {
        if (!await db.KeyExistsAsync(stream))
        {
            return new ConsumerGroupHealth(group, stream, Exists: false, 0, 0, null, null);
        }

        var info = (await db.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == group);
        return info.Name is null
            ? new ConsumerGroupHealth(group, stream, Exists: false, 0, 0, null, null)
            : new ConsumerGroupHealth(group, stream, Exists: true, info.ConsumerCount, info.PendingMessageCount, info.Lag, info.LastDeliveredId);
    }
}

public sealed record BasicHealth(string Status);

public sealed record DetailedHealth(
    string Status,
    RedisHealth Redis,
    IReadOnlyList<StreamHealth> Streams,
    IReadOnlyList<ConsumerGroupHealth> ConsumerGroups,
    int HubConnections)
{
    /// <summary>Health of each AI service the agents called (details at <c>/api/v1/ai/services</c>).</summary>
    public IReadOnlyList<AiServiceHealth> AiServices { get; init; } = [];

    /// <summary>Every AI service of the system, configured or not, with its state (healthy, degraded, down, not_configured, unknown).</summary>
    public IReadOnlyList<AiCatalogHealth> AiCatalog { get; init; } = [];
}

public sealed record AiCatalogHealth(string Id, string Name, string State, string Reason);

public sealed record AiServiceHealth(string Service, AiHealth Health, string Reason, long CallsLastHour, double ErrorRateLastHour, double? LatencyP95MsLastHour);

public sealed record RedisHealth(bool Reachable, double? LatencyMs);

public sealed record StreamHealth(string Name, long Length);

/// <param name="Lag">Entries in the stream not yet delivered to the group (Redis 7 XINFO GROUPS "lag").</param>
/// <param name="Pending">Entries delivered but not yet acknowledged.</param>
public sealed record ConsumerGroupHealth(string Group, string Stream, bool Exists, int Consumers, long Pending, long? Lag, string? LastDeliveredId);
