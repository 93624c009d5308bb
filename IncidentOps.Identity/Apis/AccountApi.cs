using System.Net;
using System.Security.Claims;
using IncidentOps.Identity.Extensions;
using IncidentOps.Identity.Model;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;

namespace IncidentOps.Identity.Apis;

/// <summary>The login page: a plain form over the provider's cookie session, then back to the authorization request.</summary>
public static class AccountApi
{
    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/account").WithTags("Account");
        api.MapGet("/login", ShowLogin).WithName("ShowLogin").WithSummary("The sign-in form.");
        api.MapPost("/login", SignInAsync).WithName("SignIn").WithSummary("Checks the password and returns to the authorization request.")
            .RequireRateLimiting(Extensions.Extensions.LoginRateLimit);
        return app;
    }

    public static IResult ShowLogin(HttpContext context, IAntiforgery antiforgery, string? returnUrl) =>
        LoginPage.Render(antiforgery.GetAndStoreTokens(context), Local(returnUrl), error: null);

    public static async Task<IResult> SignInAsync(
        HttpContext context, IAntiforgery antiforgery, UserDirectory users, ILogger<UserDirectory> logger,
        [FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl)
    {
        var user = users.Check(username, password);
        if (user is null)
        {
            IdentityLog.SignInFailed(logger, context.Connection.RemoteIpAddress?.ToString());
            return LoginPage.Render(antiforgery.GetAndStoreTokens(context), Local(returnUrl), "Wrong username or password.", HttpStatusCode.Unauthorized);
        }

        var identity = new ClaimsIdentity(CookieAuthenticationDefaults.AuthenticationScheme, ClaimTypes.Name, ClaimTypes.Role);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Username));
        await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.LocalRedirect(Local(returnUrl));
    }

    /// <summary>Only a path on this provider: an open redirect would hand a phishing page a trusted link.</summary>
    private static string Local(string? returnUrl) =>
        returnUrl is { Length: > 0 } && returnUrl[0] == '/' && (returnUrl.Length == 1 || (returnUrl[1] != '/' && returnUrl[1] != '\\')) ? returnUrl : "/";
}
