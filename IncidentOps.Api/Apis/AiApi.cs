using IncidentOps.Api.Access;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

public static class AiApi
{
    public static IEndpointRouteBuilder MapAiApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/ai").WithTags("AI").RequireAuthorization(AccessPolicies.Viewer);

        api.MapGet("/services", Services)
            .WithName("AiServices")
            .WithSummary("Every AI service of the system (catalog: configured or not, with the setting to set, figures and 24-hour series), every model the agents called (health, calls, errors, tokens, latency p50/p95, cost, last hour and all time), and the latest routing decisions.");

        api.MapGet("/incidents/{id}/calls", IncidentCalls)
            .WithName("IncidentAiCalls")
            .WithSummary("Every AI call the agents made for one incident, oldest first: phase, service, model, tokens, latency, cost, guardrail verdict, contribution, redacted prompt and answer; with the total cost.");

        return app;
    }

    public static async Task<Ok<AiServicesReport>> Services(AiUsageStore usage) => TypedResults.Ok(await usage.ReportAsync());

    public static async Task<Results<Ok<IncidentAiCalls>, ProblemHttpResult>> IncidentCalls(string id, AiUsageStore usage, IncidentStore incidents) =>
        await incidents.GetAsync(id) is null
            ? ApiProblems.NotFound($"No incident '{id}'.")
            : TypedResults.Ok(await usage.IncidentCallsAsync(id));
}
