using System.Diagnostics;
using System.Security.Claims;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Apis;

/// <summary>What responders do to an incident. Every change records who (the signed-in identity) and why, and is an event.</summary>
public static class IncidentCommandsApi
{
    private const int MaxTextLength = 4000;

    public static IEndpointRouteBuilder MapIncidentCommandsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/incidents/{id}").WithTags("Incidents").DisableAntiforgery()
            .RequireAuthorization(AccessPolicies.Responder);

        foreach (var action in Enum.GetValues<IncidentAction>().Where(a => a != IncidentAction.Resolve))
        {
            var verb = action.ToString().ToLowerInvariant();
            api.MapPost($"/{verb}", (string id, HttpRequest request, IncidentCommands commands, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct) =>
                    TransitionAsync(id, action, request, commands, options, user, ct))
                .AcceptsJson<TransitionRequest>()
                .WithName($"{action}Incident")
                .WithSummary($"{action} the incident (body: reason). 409 names the current state when the move is not allowed.");
        }

        api.MapPost("/resolve", ResolveAsync).AcceptsJson<ResolveRequest>().WithName($"{IncidentAction.Resolve}Incident")
            .WithSummary("Resolve the incident (body: reason; optionally cause, the confirmed category, and fix, the remediation that worked: they teach the diagnosis). 409 names the current state when the move is not allowed.");
        api.MapPut("/severity", SetSeverity).AcceptsJson<SeverityRequest>().WithName("SetIncidentSeverity").WithSummary("Set the severity by hand (body: severity, reason); alerts no longer change it.");
        api.MapPut("/assignee", Assign).AcceptsJson<AssignRequest>().WithName("AssignIncident").WithSummary("Assign the incident (body: assignee).");
        api.MapPost("/notes", AddNote).AcceptsJson<NoteRequest>().WithName("AddIncidentNote").WithSummary("Add a note to the timeline (body: text).");
        return app;
    }

    public static async Task<Results<Ok<IncidentChangedResponse>, ProblemHttpResult>> TransitionAsync(
        string id, IncidentAction action, HttpRequest request, IncidentCommands commands, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<TransitionRequest>(request, options.Value.MaxBodyBytes, ct);
        problem ??= TooLong("reason", body?.Reason);
        return problem ?? Answer(await commands.ApplyAsync(id, action, user.ActorName(), body!.Reason, Activity.Current?.Id));
    }

    public static async Task<Results<Ok<IncidentChangedResponse>, ProblemHttpResult>> ResolveAsync(
        string id, HttpRequest request, IncidentCommands commands, ConfirmedCases confirmed, TimeProvider time, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ResolveRequest>(request, options.Value.MaxBodyBytes, ct);
        problem ??= TooLong("reason", body?.Reason) ?? OneOf("cause", body?.Cause, CauseVocabulary.Categories) ?? OneOf("fix", body?.Fix, CauseVocabulary.Remediations);
        if (problem is null && body!.Fix is not null && body.Cause is null)
        {
            problem = ApiProblems.Create(StatusCodes.Status400BadRequest, "Missing field", "cause is required with fix: a fix is remembered for the cause it fixed.", "cause");
        }

        if (problem is not null)
        {
            return problem;
        }

        var result = await commands.ApplyAsync(id, IncidentAction.Resolve, user.ActorName(), body!.Reason, Activity.Current?.Id);
        if (result.Status == CommandStatus.Done && body.Cause is { } cause)
        {
            await confirmed.RecordAsync(new ConfirmedCase(id, cause, body.Fix, user.ActorName(), time.GetUtcNow()));
        }

        return Answer(result);
    }

    public static async Task<Results<Ok<IncidentChangedResponse>, ProblemHttpResult>> SetSeverity(
        string id, HttpRequest request, IncidentCommands commands, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<SeverityRequest>(request, options.Value.MaxBodyBytes, ct);
        problem ??= TooLong("reason", body?.Reason);
        if (problem is not null)
        {
            return problem;
        }

        if (!Enum.TryParse<Severity>(body!.Severity, ignoreCase: true, out var severity) || int.TryParse(body.Severity, out _))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", $"severity must be one of critical, error, warning, info (got '{body.Severity}').", "severity");
        }

        return Answer(await commands.SetSeverityAsync(id, severity, user.ActorName(), body.Reason, Activity.Current?.Id));
    }

    public static async Task<Results<Ok<IncidentChangedResponse>, ProblemHttpResult>> Assign(
        string id, HttpRequest request, IncidentCommands commands, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<AssignRequest>(request, options.Value.MaxBodyBytes, ct);
        problem ??= Require("assignee", body?.Assignee);
        return problem ?? Answer(await commands.AssignAsync(id, body!.Assignee!.Trim(), user.ActorName(), Activity.Current?.Id));
    }

    public static async Task<Results<Ok<IncidentChangedResponse>, ProblemHttpResult>> AddNote(
        string id, HttpRequest request, IncidentCommands commands, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<NoteRequest>(request, options.Value.MaxBodyBytes, ct);
        problem ??= Require("text", body?.Text) ?? TooLong("text", body?.Text);
        return problem ?? Answer(await commands.AddNoteAsync(id, body!.Text!, user.ActorName(), Activity.Current?.Id));
    }

    private static Results<Ok<IncidentChangedResponse>, ProblemHttpResult> Answer(CommandResult result) => result.Status switch
    {
        CommandStatus.Done => TypedResults.Ok(new IncidentChangedResponse(IncidentSummary.From(result.Incident!, runs: null))),
        CommandStatus.NotFound => ApiProblems.NotFound(result.Message),
        _ => ApiProblems.Create(StatusCodes.Status409Conflict, "Illegal transition", result.Message, "status"),
    };

    private static ProblemHttpResult? Require(string field, string? value) =>
        string.IsNullOrWhiteSpace(value)
            ? ApiProblems.Create(StatusCodes.Status400BadRequest, "Missing field", $"{field} is required and must not be empty.", field)
            : value.Length > 200 && field != "text" ? ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", $"{field} must be at most 200 characters.", field) : null;

    private static ProblemHttpResult? OneOf(string field, string? value, IReadOnlyList<string> allowed) =>
        value is null || allowed.Contains(value)
            ? null
            : ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", $"{field} must be one of {string.Join(", ", allowed)} (got '{(value.Length > 60 ? value[..60] + "..." : value)}').", field);

    private static ProblemHttpResult? TooLong(string field, string? value) =>
        value is { Length: > MaxTextLength }
            ? ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", $"{field} must be at most {MaxTextLength} characters (got {value.Length}).", field)
            : null;
}
