using IncidentOps.Api.Model;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents").WithTags("Incidents");

        api.MapGet("/", ListIncidents)
            .WithName("ListIncidents")
            .WithSummary("Open incidents (status=open, the default) or the most recent ones (status=all), with the event id the list is current to.");

        api.MapGet("/{id}", GetIncident)
            .WithName("GetIncident")
            .WithSummary("One incident with its alerts, agent results and timeline.");

        return app;
    }

    public static async Task<Results<Ok<IncidentList>, ProblemHttpResult>> ListIncidents(
        IncidentStore store, OpsEventLog log, string? status = null, int? limit = null)
    {
        var openOnly = status is null or "open";
        if (!openOnly && status != "all")
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", $"status must be 'open' or 'all' (got '{status}').", "status");
        }

        if (limit is < 1 or > 1000)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", $"limit must be between 1 and 1000 (got {limit}).", "limit");
        }

        // Read the newest event id before the snapshot: events after it may already be reflected in
        // the list, and since events carry absolute state, applying them again is harmless.
        var lastEventId = await log.LastIdAsync();
        var items = await store.ListAsync(openOnly, limit ?? 200);
        return TypedResults.Ok(new IncidentList(items, lastEventId));
    }

    public static async Task<Results<Ok<IncidentDetail>, ProblemHttpResult>> GetIncident(string id, IncidentStore store)
    {
        var incident = await store.GetAsync(id);
        if (incident is null)
        {
            return ApiProblems.NotFound($"No incident '{id}'.");
        }

        var runs = await store.GetRunsAsync(id);
        var timeline = await store.GetTimelineAsync(id);
        return TypedResults.Ok(IncidentDetail.From(incident, runs, timeline));
    }
}
