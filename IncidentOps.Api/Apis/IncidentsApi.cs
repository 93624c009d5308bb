using IncidentOps.Api.Access;
using IncidentOps.Api.Model;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

public static class IncidentsApi
{
    public static IEndpointRouteBuilder MapIncidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents").WithTags("Incidents").RequireAuthorization(AccessPolicies.Viewer);

        api.MapGet("/", ListIncidents)
            .WithName("ListIncidents")
            .WithSummary("Incidents newest first, filtered by status (open by default, all, or a list), severity, service and detection time (from, to), paged by cursor; with the event id the list is current to.");

        api.MapGet("/{id}", GetIncident)
            .WithName("GetIncident")
            .WithSummary("One incident with its alerts, agent results and timeline.");

        return app;
    }

    public static async Task<Results<Ok<IncidentList>, ProblemHttpResult>> ListIncidents(
        IncidentStore store, OpsEventLog log, string? status = null, string? severity = null, string? service = null,
        string? from = null, string? to = null, string? cursor = null, string? limit = null)
    {
        // Query values are parsed here, not by the binder, so that a bad one is named in the 400.
        if (!TryParseTime(from, out var fromTime))
        {
            return Invalid("from", $"from must be an ISO 8601 date-time (got '{from}').");
        }

        if (!TryParseTime(to, out var toTime))
        {
            return Invalid("to", $"to must be an ISO 8601 date-time (got '{to}').");
        }

        int? pageSize = null;
        if (limit is not null)
        {
            if (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsedLimit) || parsedLimit is < 1 or > 1000)
            {
                return Invalid("limit", $"limit must be a whole number between 1 and 1000 (got '{limit}').");
            }

            pageSize = parsedLimit;
        }

        var (statuses, problem) = ParseStatuses(status ?? "open");
        if (problem is not null)
        {
            return problem;
        }

        Severity? severityFilter = null;
        if (severity is not null)
        {
            if (!Enum.TryParse<Severity>(severity, ignoreCase: true, out var parsed) || int.TryParse(severity, out _))
            {
                return Invalid("severity", $"severity must be one of critical, error, warning, info (got '{severity}').");
            }

            severityFilter = parsed;
        }

        IncidentCursor? after = null;
        if (cursor is not null)
        {
            if (!IncidentCursor.TryParse(cursor, out var parsedCursor))
            {
                return Invalid("cursor", "cursor must be the nextCursor of a previous page.");
            }

            after = parsedCursor;
        }

        if (fromTime is not null && toTime is not null && fromTime >= toTime)
        {
            return Invalid("from", "from must be before to.");
        }

        // Read the newest event id before the snapshot: events after it may already be reflected in
        // the list, and since events carry absolute state, applying them again is harmless.
        var lastEventId = await log.LastIdAsync();
        var (items, next) = await store.QueryAsync(new IncidentQuery(statuses, severityFilter, service, fromTime, toTime, after, pageSize ?? 200));
        return TypedResults.Ok(new IncidentList(items, lastEventId, next?.ToString()));
    }

    private static (IReadOnlySet<IncidentStatus>?, ProblemHttpResult?) ParseStatuses(string status)
    {
        if (status == "all")
        {
            return (null, null);
        }

        var statuses = new HashSet<IncidentStatus>();
        foreach (var part in status.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part == "open")
            {
                statuses.UnionWith([IncidentStatus.Triggered, IncidentStatus.Acknowledged, IncidentStatus.Mitigated]);
            }
            else if (Enum.TryParse<IncidentStatus>(part, ignoreCase: true, out var parsed) && !int.TryParse(part, out _))
            {
                statuses.Add(parsed);
            }
            else
            {
                return (null, Invalid("status", $"status must be open, all, or a comma list of triggered, acknowledged, mitigated, resolved, closed (got '{part}')."));
            }
        }

        return statuses.Count == 0 ? (null, Invalid("status", "status must not be empty.")) : (statuses, null);
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        var ok = DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var parsed);
        time = ok ? parsed.ToUniversalTime() : null;
        return ok;
    }

    private static ProblemHttpResult Invalid(string field, string detail) =>
        ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", detail, field);

    public static async Task<Results<Ok<IncidentDetail>, ProblemHttpResult>> GetIncident(string id, IncidentStore store, ActionStore actions, AttachmentStore attachments)
    {
        var incident = await store.GetAsync(id);
        if (incident is null)
        {
            return ApiProblems.NotFound($"No incident '{id}'.");
        }

        var runs = await store.GetRunsAsync(id);
        var timeline = await store.GetTimelineAsync(id);
        return TypedResults.Ok(IncidentDetail.From(incident, runs, timeline) with
        {
            Actions = await actions.ListAsync(id),
            Attachments = await attachments.ListAsync(id),
        });
    }
}
