using IncidentOps.Identity.Model;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IncidentOps.Identity.Apis;

/// <summary>The OpenID Connect endpoints OpenIddict passes through to us: authorize, token, userinfo, logout.</summary>
public static class ConnectApi
{
    public static IEndpointRouteBuilder MapConnectApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/connect").WithTags("OpenID Connect").DisableAntiforgery();
        api.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], (Delegate)AuthorizeAsync).WithName("Authorize");
        api.MapPost("/token", (Delegate)TokenAsync).WithName("Token").RequireRateLimiting(Extensions.Extensions.LoginRateLimit);
        api.MapMethods("/userinfo", [HttpMethods.Get, HttpMethods.Post], (Delegate)UserInfoAsync).WithName("UserInfo");
        api.MapMethods("/logout", [HttpMethods.Get, HttpMethods.Post], (Delegate)LogoutAsync).WithName("Logout");
        return app;
    }

    public static async Task<IResult> AuthorizeAsync(HttpContext context, UserDirectory users)
    {
        var request = context.GetOpenIddictServerRequest()!;
        var session = await context.AuthenticateAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        var user = session.Succeeded ? users.Find(session.Principal?.Identity?.Name) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Refuse(Errors.LoginRequired, "Nobody is signed in.");
            }

            // To the login page, then back to this very request.
            var query = context.Request.HasFormContentType ? [.. context.Request.Form] : context.Request.Query.ToList();
            var again = context.Request.PathBase + context.Request.Path + QueryString.Create(query.Where(p => p.Key != Parameters.Prompt));
            return Results.Challenge(new AuthenticationProperties { RedirectUri = again }, [CookieAuthenticationDefaults.AuthenticationScheme]);
        }

        return Results.SignIn(Principals.For(user, request.GetScopes()), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static async Task<IResult> TokenAsync(HttpContext context, UserDirectory users, ILogger<UserDirectory> logger)
    {
        var request = context.GetOpenIddictServerRequest()!;
        SignInUser? user;
        if (request.IsPasswordGrantType())
        {
            user = users.Check(request.Username, request.Password);
            if (user is null)
            {
                IdentityLog.SignInFailed(logger, context.Connection.RemoteIpAddress?.ToString());
                return Refuse(Errors.InvalidGrant, "Wrong username or password.");
            }
        }
        else if (request.IsAuthorizationCodeGrantType() || request.IsRefreshTokenGrantType())
        {
            var grant = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
            // Read the user again: one removed since the code or refresh token was issued gets nothing.
            user = users.Find(grant.Principal?.GetClaim(Claims.Subject));
            if (user is null)
            {
                return Refuse(Errors.InvalidGrant, "The user no longer exists.");
            }
        }
        else
        {
            return Refuse(Errors.UnsupportedGrantType, "Only authorization_code, refresh_token and password are supported.");
        }

        IdentityLog.TokensIssued(logger, user.Username, user.Role, request.GrantType);
        var scopes = request.IsPasswordGrantType() && !request.GetScopes().Any()
            ? [Scopes.OpenId, Scopes.Profile, Scopes.Roles, SignInOptions.ApiAudience]
            : request.GetScopes();
        return Results.SignIn(Principals.For(user, scopes), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    public static async Task<IResult> UserInfoAsync(HttpContext context, UserDirectory users)
    {
        var token = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var user = users.Find(token.Principal?.GetClaim(Claims.Subject));
        if (user is null)
        {
            return Results.Challenge(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        return Results.Ok(new Dictionary<string, object>
        {
            [Claims.Subject] = user.Username,
            [Claims.Name] = user.Name,
            [Claims.PreferredUsername] = user.Username,
            [Claims.Email] = user.Email,
            [Claims.Role] = user.Role,
        });
    }

    public static async Task<IResult> LogoutAsync(HttpContext context)
    {
        await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        // OpenIddict checks post_logout_redirect_uri against the client's registration before redirecting.
        return Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
