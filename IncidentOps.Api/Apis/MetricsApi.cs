using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace IncidentOps.Api.Apis;

public static class MetricsApi
{
    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Metrics")
            .MapGet("/metrics", GetMetrics)
            .WithName("GetMetrics")
            .WithSummary("The latest figures of the metrics worker: incidents handled, open, and MTTR with its 95% interval.");
        return app;
    }

    public static async Task<Results<Ok<MetricsSnapshot>, ProblemHttpResult>> GetMetrics(IConnectionMultiplexer redis)
    {
        var json = await redis.GetDatabase().StringGetAsync(RedisKeys.MetricsSnapshot);
        return json.IsNullOrEmpty
            ? ApiProblems.NotFound("The metrics worker has not published figures yet.")
            : TypedResults.Ok(OpsJson.Deserialize<MetricsSnapshot>(json.ToString()));
    }
}
