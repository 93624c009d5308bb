using System.Diagnostics;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

/// <summary>Production changes (deploys, config pushes, flag flips) in; diagnosis reads them as evidence.</summary>
public static class ChangesApi
{
    public static IEndpointRouteBuilder MapChangesApi(this IEndpointRouteBuilder app)
    {
        var ingest = app.MapGroup("/api/v1/changes").WithTags("Ingest").DisableAntiforgery().RequireIngestToken(IngestSources.Events);
        var read = app.MapGroup("/api/v1/changes").WithTags("Changes").RequireAuthorization(AccessPolicies.Viewer);
        ingest.MapPost("/", PostChange)
            .AcceptsJson<ChangeEventBody>()
            .WithName("PostChange")
            .WithSummary("Record a change event (PagerDuty Change Events shape; payload.service and payload.kind name what changed). Uses the events token.");
        read.MapGet("/", ListChanges)
            .WithName("ListChanges")
            .WithSummary("A service's changes in the last hours (query: service, hours=24), newest first.");
        return app;
    }

    public static async Task<Results<Accepted<ChangeAccepted>, ValidationProblem, ProblemHttpResult>> PostChange(
        HttpRequest request, [AsParameters] IngestServices services, ChangeLog changes, TimeProvider time, CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<ChangeEventBody>(request, services.Options.Value.MaxBodyBytes, cancellationToken);
        if (!await services.Tokens.IsAuthorisedAsync(IngestSources.Events, request, body?.RoutingKey))
        {
            return ApiProblems.Unauthorized(IngestSources.Events);
        }

        if (problem is not null)
        {
            return problem;
        }

        var (change, errors) = ChangeValidation.Validate(body!, time.GetUtcNow());
        if (change is null)
        {
            return ApiProblems.Validation(errors, "The change event is not valid.");
        }

        var eventId = await changes.RecordAsync(change, Activity.Current?.Id);
        return TypedResults.Accepted($"/api/v1/changes?service={Uri.EscapeDataString(change.Service)}",
            new ChangeAccepted(change.Id, eventId, eventId is null ? "duplicate" : "recorded", change));
    }

    public static async Task<Results<Ok<IReadOnlyList<ChangeEvent>>, ProblemHttpResult>> ListChanges(string? service, string? hours, ChangeLog changes, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(service))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", "service is required.", "service");
        }

        var window = 24;
        if (hours is not null && (!int.TryParse(hours, System.Globalization.CultureInfo.InvariantCulture, out window) || window is < 1 or > 720))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", "hours must be between 1 and 720.", "hours");
        }

        var now = time.GetUtcNow();
        return TypedResults.Ok(await changes.BetweenAsync(service, now.AddHours(-window), now));
    }
}

/// <summary><see cref="Outcome"/> is <c>duplicate</c> (and <see cref="EventId"/> null) when the same change was recorded before.</summary>
public sealed record ChangeAccepted(string Id, string? EventId, string Outcome, ChangeEvent Change);
