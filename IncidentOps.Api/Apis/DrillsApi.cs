using System.Diagnostics;
using System.Security.Claims;
using IncidentOps.Api.Access;
using IncidentOps.Api.Model;
using IncidentOps.Core.Drills;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Apis;

/// <summary>
/// Drills: the scenario gallery, and replaying one scenario through the normal ingest path as a real incident marked
/// as a drill (worked by the agents like any other, left out of the business figures).
/// </summary>
public static class DrillsApi
{
    public static IEndpointRouteBuilder MapDrillsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/drills").WithTags("Drills").RequireAuthorization(AccessPolicies.Viewer);
        var run = app.MapGroup("/api/v1/drills").WithTags("Drills").RequireAuthorization(AccessPolicies.Responder);
        read.MapGet("/scenarios", Scenarios)
            .WithName("DrillScenarios")
            .WithSummary("The scenario gallery: every scenario of the corpus a drill can replay, with its known answer.");
        run.MapPost("/", Start)
            .WithName("StartDrill")
            .WithSummary("Replay a scenario as a drill (body: scenarioId): its changes and alerts through the normal ingest path; 202 with the incident.");
        return app;
    }

    public static Ok<DrillScenarioList> Scenarios(ScenarioCorpus corpus) =>
        TypedResults.Ok(new DrillScenarioList([.. corpus.All.Select(DrillAlerts.Card)]));

    public static async Task<Results<Accepted<DrillStarted>, ProblemHttpResult>> Start(
        HttpRequest request, ScenarioCorpus corpus, AlertCorrelator correlator, ChangeLog changes, IOptions<IngestOptions> options,
        TimeProvider time, ClaimsPrincipal user, ILogger<DrillScenarioList> logger, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<StartDrillRequest>(request, options.Value.MaxBodyBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body?.ScenarioId))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid drill", "scenarioId is required (GET /api/v1/drills/scenarios lists them).", "scenarioId");
        }

        if (corpus.Find(body.ScenarioId) is not { } scenario)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, "Unknown scenario", $"No scenario '{body.ScenarioId}' in the corpus.", "scenarioId");
        }

        var now = time.GetUtcNow();
        var drillId = $"drill_{now.ToUnixTimeMilliseconds():x}{Random.Shared.Next(0x1000, 0xFFFF):x4}";
        var (alerts, recent) = DrillAlerts.Of(scenario, drillId, now);
        foreach (var change in recent)
        {
            await changes.RecordAsync(change, Activity.Current?.Id);
        }

        string? incidentId = null;
        foreach (var alert in alerts)
        {
            var outcome = await correlator.IngestAsync(alert, Activity.Current?.Id, cancellationToken: ct);
            incidentId ??= outcome.IncidentId;
        }

        var actor = user.ActorName();
        ApiLog.DrillStarted(logger, drillId, scenario.Id, incidentId ?? "-", actor);
        return TypedResults.Accepted($"/api/v1/incidents/{incidentId}", new DrillStarted(drillId, scenario.Id, incidentId!, alerts.Count, recent.Count));
    }
}

public sealed record StartDrillRequest(string? ScenarioId);

public sealed record DrillScenarioList(IReadOnlyList<DrillScenarioCard> Items);
