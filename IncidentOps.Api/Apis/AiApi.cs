using IncidentOps.Api.Access;
using IncidentOps.Core.Ai;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

public static class AiApi
{
    public static IEndpointRouteBuilder MapAiApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/ai").WithTags("AI").RequireAuthorization(AccessPolicies.Viewer);

        api.MapGet("/services", Services)
            .WithName("AiServices")
            .WithSummary("Every AI service and model the agents called: health, calls, errors, tokens, latency p50/p95, cost (last hour and all time), and the latest routing decisions.");

        return app;
    }

    public static async Task<Ok<AiServicesReport>> Services(AiUsageStore usage) => TypedResults.Ok(await usage.ReportAsync());
}
