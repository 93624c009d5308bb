using IncidentOps.Core.Access;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.IdentityModel.Tokens;

namespace IncidentOps.Api.Access;

/// <summary>
/// Every refusal (401: no or a bad credential, 403: too low a role) answers as usual and is written to the audit
/// trail with why, so failed sign-ins and probing show up for an admin.
/// </summary>
public sealed class AuditedDenials(AuditLog audit) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged || authorizeResult.Forbidden)
        {
            // The authentication middleware keeps only successes; the handler remembers this request's failure.
            var failure = authorizeResult.Challenged ? (await context.AuthenticateAsync()).Failure : null;
            var reason = authorizeResult.Forbidden
                ? $"role {context.User.Role() ?? "none"} lacks {policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).FirstOrDefault()}+"
                : Describe(failure);
            await audit.AppendAsync(AuditRecords.ForRequest(context,
                authorizeResult.Forbidden ? "access.forbidden" : "access.unauthenticated",
                authorizeResult.Forbidden ? "403" : "401", reason));
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>A short reason without the token or any claim value from it.</summary>
    private static string Describe(Exception? failure) => failure switch
    {
        null => "no credential",
        SecurityTokenExpiredException => "token expired",
        SecurityTokenInvalidAudienceException => "token for another audience",
        SecurityTokenInvalidIssuerException => "token from another issuer",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "token signature invalid",
        SecurityTokenNotYetValidException => "token not yet valid",
        SecurityTokenMalformedException or ArgumentException => "malformed token",
        _ when failure.Message.Contains("API key", StringComparison.Ordinal) => failure.Message,
        _ => $"token rejected ({failure.GetType().Name})",
    };
}
