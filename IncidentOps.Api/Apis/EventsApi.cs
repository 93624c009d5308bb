using System.Diagnostics;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Ingest;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Apis;

public static class EventsApi
{
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Ingest").RequireIngestToken(IngestSources.Events);

        api.MapPost("/events", PostEvent)
            .AcceptsJson<PagerDutyEvent>()
            .WithName("PostEvent")
            .WithSummary("Accept a PagerDuty Events v2 shaped event: trigger, acknowledge or resolve.")
            .DisableAntiforgery();

        return app;
    }

    public static async Task<Results<Accepted<EventAccepted>, ValidationProblem, ProblemHttpResult>> PostEvent(
        HttpRequest request,
        [AsParameters] IngestServices services,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await JsonBody.ReadAsync<PagerDutyEvent>(request, services.Options.Value.MaxBodyBytes, cancellationToken);
        // PagerDuty-shaped senders carry their integration key as routing_key; others send a bearer token.
        if (!await services.Tokens.IsAuthorisedAsync(IngestSources.Events, request, body?.RoutingKey))
        {
            return ApiProblems.Unauthorized(IngestSources.Events);
        }

        if (problem is not null)
        {
            ApiLog.RejectedEvent(services.Logger, problem.ProblemDetails.Detail);
            return problem;
        }

        var (evt, errors) = EventValidation.Validate(body!);
        if (evt is null)
        {
            ApiLog.RejectedEvent(services.Logger, errors[0].Field);
            return ApiProblems.Validation(errors, "The event is not valid.");
        }

        using var activity = ApiTelemetry.Source.StartActivity("ingest event");
        activity?.SetTag("incidentops.event_action", evt.Action.ToString().ToLowerInvariant());
        var outcome = await services.Ingestor.IngestAsync(evt, Activity.Current?.Id, cancellationToken);
        activity?.SetTag("incidentops.incident_id", outcome.IncidentId);
        activity?.SetTag("incidentops.outcome", outcome.Status.ToString());
        ApiTelemetry.Record(outcome.Status);
        ApiLog.Ingested(services.Logger, evt.Action, outcome.Status, outcome.IncidentId, outcome.DedupKey);

        if (outcome.Status == IngestStatus.NotFound)
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, "Unknown dedup_key", outcome.Message, field: "dedup_key");
        }

        var accepted = new EventAccepted(
            "success", outcome.Message, outcome.DedupKey, outcome.IncidentId!,
            outcome.Status.ToString().ToLowerInvariant(), outcome.IncidentStatus);
        return TypedResults.Accepted($"/api/v1/incidents/{outcome.IncidentId}", accepted);
    }
}
