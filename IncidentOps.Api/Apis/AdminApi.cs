using System.Globalization;
using System.Security.Claims;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Access;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Apis;

/// <summary>What only admins do: API keys for automation, ingest token rotation, and reading the audit trail.</summary>
public static class AdminApi
{
    private static readonly string[] Sources = [IngestSources.Events, IngestSources.Alertmanager, IngestSources.Grafana, IngestSources.CloudWatch];

    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Admin").DisableAntiforgery().RequireAuthorization(AccessPolicies.Admin);

        api.MapGet("/admin/api-keys", ListKeys).WithName("ListApiKeys")
            .WithSummary("Every API key (never its secret): name, role, prefix, who made it, when it was last used, whether revoked.");
        api.MapPost("/admin/api-keys", CreateKey).AcceptsJson<ApiKeyRequest>().WithName("CreateApiKey")
            .WithSummary("Create an API key (body: name, role). The secret is in this answer only; send it as X-Api-Key.");
        api.MapDelete("/admin/api-keys/{keyId}", RevokeKey).WithName("RevokeApiKey")
            .WithSummary("Revoke an API key: it stops working at once.");
        api.MapGet("/admin/ingest-tokens", ListIngestTokens).WithName("ListIngestTokens")
            .WithSummary("Per source, the tokens issued by rotation (digest prefix, created, expires); configured tokens are not listed.");
        api.MapPost("/admin/ingest-tokens/{source}/rotate", RotateIngestToken).WithName("RotateIngestToken")
            .WithSummary("Issue a new ingest token for a source (query: graceHours, default 24: how long earlier rotated tokens keep working). The token is in this answer only.");
        api.MapGet("/audit", ReadAudit).WithName("ReadAudit")
            .WithSummary("The audit trail, newest first (query: before, limit ≤ 500, subject, action prefix, outcome).");
        return app;
    }

    public static async Task<Ok<IReadOnlyList<ApiKey>>> ListKeys(ApiKeyStore keys) => TypedResults.Ok(await keys.ListAsync());

    public static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> CreateKey(
        HttpRequest request, ApiKeyStore keys, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadAsync<ApiKeyRequest>(request, options.Value.MaxBodyBytes, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(body!.Name) || body.Name.Length > 100)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", "name is required: what the key is for, at most 100 characters.", "name");
        }

        if (!Roles.IsKnown(body.Role))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", $"role must be one of {string.Join(", ", Roles.All)} (got '{body.Role}').", "role");
        }

        var created = await keys.CreateAsync(body.Name.Trim(), body.Role!.ToLowerInvariant(), user.ActorName());
        return TypedResults.Created($"/api/v1/admin/api-keys/{created.Key.Id}", created);
    }

    public static async Task<Results<Ok<ApiKey>, ProblemHttpResult>> RevokeKey(string keyId, ApiKeyStore keys, ClaimsPrincipal user) =>
        await keys.RevokeAsync(keyId, user.ActorName()) is { } revoked
            ? TypedResults.Ok(revoked)
            : ApiProblems.NotFound($"No API key '{keyId}'.");

    public static async Task<Ok<Dictionary<string, IReadOnlyList<IssuedIngestTokenView>>>> ListIngestTokens(IngestTokenStore tokens, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var all = new Dictionary<string, IReadOnlyList<IssuedIngestTokenView>>();
        foreach (var source in Sources)
        {
            all[source] = [.. (await tokens.ListAsync(source)).Select(t => IssuedIngestTokenView.From(t, now))];
        }

        return TypedResults.Ok(all);
    }

    public static async Task<Results<Ok<RotatedIngestToken>, ProblemHttpResult>> RotateIngestToken(
        string source, string? graceHours, IngestTokenStore tokens, IngestTokens checker, ClaimsPrincipal user, TimeProvider time)
    {
        if (!Sources.Contains(source, StringComparer.Ordinal))
        {
            return ApiProblems.Create(StatusCodes.Status404NotFound, "Unknown source", $"source must be one of {string.Join(", ", Sources)} (got '{source}').", "source");
        }

        var grace = 24.0;
        if (graceHours is not null && (!double.TryParse(graceHours, NumberStyles.Float, CultureInfo.InvariantCulture, out grace) || !double.IsFinite(grace) || grace is < 0 or > 24 * 30))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", "graceHours must be a number of hours between 0 and 720.", "graceHours");
        }

        var (token, issued) = await tokens.RotateAsync(source, TimeSpan.FromHours(grace), user.ActorName());
        checker.Forget(source);
        return TypedResults.Ok(new RotatedIngestToken(source, token, IssuedIngestTokenView.From(issued, time.GetUtcNow()),
            $"Earlier rotated {source} tokens work until {time.GetUtcNow().AddHours(grace):u}. Tokens in configuration (Ingest:Tokens:*) keep working until removed there."));
    }

    public static async Task<Results<Ok<AuditPage>, ProblemHttpResult>> ReadAudit(
        string? before, string? limit, string? subject, string? action, string? outcome, AuditLog audit)
    {
        var max = 100;
        if (limit is not null && (!int.TryParse(limit, CultureInfo.InvariantCulture, out max) || max is < 1 or > 500))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", "limit must be between 1 and 500.", "limit");
        }

        if (before is not null && !StreamId.TryParse(before, out _))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", $"before must be an audit entry id ('<milliseconds>-<sequence>'), not '{before}'.", "before");
        }

        var (items, next) = await audit.QueryAsync(new AuditQuery(before, max, subject, action, outcome));
        return TypedResults.Ok(new AuditPage(items, next));
    }
}

public sealed record ApiKeyRequest(string? Name, string? Role);

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, string? Next);

public sealed record RotatedIngestToken(string Source, string Token, IssuedIngestTokenView Issued, string Note);

public sealed record IssuedIngestTokenView(string DigestPrefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string CreatedBy, bool Active)
{
    public static IssuedIngestTokenView From(IssuedIngestToken token, DateTimeOffset now) =>
        new(token.Digest[..12], token.CreatedAt, token.ExpiresAt, token.CreatedBy, token.IsValidAt(now));
}
