using System.Security.Claims;
using System.Text.Encodings.Web;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Access;

/// <summary>
/// Automation's credential: <c>X-Api-Key: iok_…</c> (or <c>Authorization: ApiKey iok_…</c>). The key acts with the
/// role it was created for; its id, never its secret, is what the audit trail records.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys, IOptions<AuthOptions> auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";
    private const string AuthorizationPrefix = "ApiKey ";

    public static bool Presents(HttpRequest request) =>
        request.Headers.ContainsKey(Header) || request.Headers.Authorization.ToString().StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var authorization = Request.Headers.Authorization.ToString();
        var secret = Request.Headers.TryGetValue(Header, out var header) ? header.ToString()
            : authorization.StartsWith(AuthorizationPrefix, StringComparison.OrdinalIgnoreCase) ? authorization[AuthorizationPrefix.Length..].Trim()
            : null;
        if (string.IsNullOrEmpty(secret))
        {
            return AuthenticateResult.NoResult();
        }

        var key = await keys.AuthenticateAsync(secret);
        if (key is null)
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var roleClaim = auth.Value.RoleClaim;
        var identity = new ClaimsIdentity(
            [
                new Claim(AccessClaims.Subject, $"api-key:{key.Id}"),
                new Claim("name", $"API key '{key.Name}'"),
                new Claim(roleClaim, key.Role),
                new Claim(AccessClaims.ApiKeyId, key.Id),
            ],
            SchemeName, "name", roleClaim);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}
