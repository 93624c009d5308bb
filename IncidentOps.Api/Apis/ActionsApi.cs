using System.Diagnostics;
using System.Security.Claims;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Apis;

/// <summary>The actions a resolution plan proposed: list them, approve or reject them (who and why recorded).</summary>
public static class ActionsApi
{
    public static IEndpointRouteBuilder MapActionsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1").WithTags("Actions").RequireAuthorization(AccessPolicies.Viewer);
        var decide = app.MapGroup("/api/v1/incidents/{id}/actions").WithTags("Actions").DisableAntiforgery()
            .RequireAuthorization(AccessPolicies.Approver);

        read.MapGet("/incidents/{id}/actions", ListActions)
            .WithName("ListActions")
            .WithSummary("The incident's proposed actions, oldest plan first, with their state, decision and outcome.");
        decide.MapPost("/{actionId}/approve", (string id, string actionId, HttpRequest request, ActionStore actions, IncidentStore incidents, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(id, actionId, approve: true, request, actions, incidents, options, user, ct))
            .AcceptsJson<TransitionRequest>()
            .WithName("ApproveAction")
            .WithSummary("Approve an action awaiting approval (body: reason); it is queued for its executor. 409 when it is not awaiting approval.");
        decide.MapPost("/{actionId}/reject", (string id, string actionId, HttpRequest request, ActionStore actions, IncidentStore incidents, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct) =>
                DecideAsync(id, actionId, approve: false, request, actions, incidents, options, user, ct))
            .AcceptsJson<TransitionRequest>()
            .WithName("RejectAction")
            .WithSummary("Reject an action awaiting approval (body: reason). 409 when it is not awaiting approval.");
        read.MapGet("/actions/awaiting-approval", AwaitingApproval)
            .WithName("ListAwaitingApproval")
            .WithSummary("Every action waiting for a person, across incidents, oldest first (limit, default 100).");
        return app;
    }

    public static async Task<Results<Ok<AwaitingApprovalList>, ProblemHttpResult>> AwaitingApproval(string? limit, ActionStore actions, OpsEventLog log)
    {
        var max = 100;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.CultureInfo.InvariantCulture, out max) || max is < 1 or > 1000))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", "limit must be between 1 and 1000.", "limit");
        }

        // The event id first: a console that applies events after it misses nothing that changed meanwhile.
        var lastEventId = await log.LastIdAsync();
        return TypedResults.Ok(new AwaitingApprovalList(await actions.AwaitingApprovalAsync(max), lastEventId));
    }

    public static async Task<Results<Ok<IReadOnlyList<ProposedAction>>, ProblemHttpResult>> ListActions(string id, ActionStore actions, IncidentStore incidents) =>
        await incidents.GetAsync(id) is null
            ? ApiProblems.NotFound($"No incident '{id}'.")
            : TypedResults.Ok(await actions.ListAsync(id));

    public static async Task<Results<Ok<ActionDecided>, ProblemHttpResult>> DecideAsync(
        string id, string actionId, bool approve, HttpRequest request, ActionStore actions, IncidentStore incidents, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<TransitionRequest>(request, options.Value.MaxBodyBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (body!.Reason is { Length: > 4000 })
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", "reason must be at most 4000 characters.", "reason");
        }

        if (await incidents.GetAsync(id) is null)
        {
            return ApiProblems.NotFound($"No incident '{id}'.");
        }

        var result = await actions.DecideAsync(id, actionId, approve, user.ActorName(), body.Reason, Activity.Current?.Id);
        return result.Status switch
        {
            DecisionStatus.Done => TypedResults.Ok(new ActionDecided(result.Action!, result.Message)),
            DecisionStatus.NotFound => ApiProblems.NotFound(result.Message),
            _ => ApiProblems.Create(StatusCodes.Status409Conflict, "Action already decided", result.Message, "actionId"),
        };
    }
}

public sealed record ActionDecided(ProposedAction Action, string Message);

public sealed record AwaitingApprovalList(IReadOnlyList<ProposedAction> Items, string LastEventId);
