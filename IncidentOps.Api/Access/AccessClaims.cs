using System.Security.Claims;
using IncidentOps.Core.Access;

namespace IncidentOps.Api.Access;

/// <summary>Reads who a request is from its claims: the name recorded on the timeline, and the actor in the audit trail.</summary>
public static class AccessClaims
{
    public const string Subject = "sub";
    public const string ApiKeyId = "incidentops:api_key_id";

    /// <summary>The name people see on the timeline: the person's name, else their username, e-mail or subject.</summary>
    public static string ActorName(this ClaimsPrincipal user) =>
        First(user, "name", "preferred_username", "username", "cognito:username", "email", Subject) ?? "unknown";

    public static AuditActor ToAuditActor(this ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? new AuditActor(First(user, Subject), user.ActorName(), Role(user), First(user, ApiKeyId))
            : AuditActor.Anonymous;

    /// <summary>Whom limits count against: the API key, else the signed-in subject; null when anonymous.</summary>
    public static string? LimitKey(this ClaimsPrincipal user) =>
        user.FindFirst(ApiKeyId)?.Value ?? user.FindFirst(Subject)?.Value;

    /// <summary>The highest role the user holds, read through each identity's own role claim type.</summary>
    public static string? Role(this ClaimsPrincipal user) =>
        Roles.Highest(user.Identities.SelectMany(i => i.FindAll(i.RoleClaimType)).Select(c => c.Value));

    private static string? First(ClaimsPrincipal user, params string[] types) =>
        types.Select(t => user.FindFirst(t)?.Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
}
