using System.Security.Claims;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IncidentOps.Identity.Model;

/// <summary>The claims a signed-in person's tokens carry: who (sub, name, e-mail) and their role, for the API's audience.</summary>
public static class Principals
{
    public static ClaimsPrincipal For(SignInUser user, IEnumerable<string> scopes)
    {
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Username)
            .SetClaim(Claims.Name, string.IsNullOrWhiteSpace(user.Name) ? user.Username : user.Name)
            .SetClaim(Claims.PreferredUsername, user.Username)
            .SetClaim(Claims.Email, user.Email)
            .SetClaims(Claims.Role, [user.Role.ToLowerInvariant()]);
        identity.SetScopes(scopes);
        identity.SetResources(SignInOptions.ApiAudience);
        // Everything the web app shows (who is signed in, what they may do) is in the identity token too.
        identity.SetDestinations(claim => claim.Type is Claims.Name or Claims.PreferredUsername or Claims.Email or Claims.Role
            ? [Destinations.AccessToken, Destinations.IdentityToken]
            : [Destinations.AccessToken]);
        return new ClaimsPrincipal(identity);
    }
}
