using System.Threading.RateLimiting;
using IncidentOps.Identity.Model;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace IncidentOps.Identity.Extensions;

public static class Extensions
{
    public const string LoginRateLimit = "login";

    /// <summary>
    /// The development OpenID Connect provider: OpenIddict's server (authorization code + PKCE for the web app,
    /// password grant for scripts, refresh tokens), a login page over a cookie session, seeded users.
    /// </summary>
    public static void AddIdentityProvider(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SignInOptions>().BindConfiguration(SignInOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidation>();
        builder.Services.AddSingleton<UserDirectory>();

        // A database of this host's own: two providers in one process (tests) must not share registrations.
        var database = $"incidentops-identity-{Guid.NewGuid():N}";
        builder.Services.AddDbContext<IdentityStore>(options =>
        {
            options.UseInMemoryDatabase(database);
            options.UseOpenIddict();
        });

        var lifetime = TimeSpan.FromSeconds(builder.Configuration.GetValue($"{SignInOptions.Section}:AccessTokenLifetimeSeconds", 3600));
        builder.Services.AddOpenIddict()
            .AddCore(core => core.UseEntityFrameworkCore().UseDbContext<IdentityStore>())
            .AddServer(server =>
            {
                server.SetAuthorizationEndpointUris("connect/authorize")
                    .SetTokenEndpointUris("connect/token")
                    .SetEndSessionEndpointUris("connect/logout")
                    .SetUserInfoEndpointUris("connect/userinfo");
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().AllowPasswordFlow();
                server.RequireProofKeyForCodeExchange();
                server.RegisterScopes(Scopes.OpenId, Scopes.Profile, Scopes.Email, Scopes.Roles, Scopes.OfflineAccess, SignInOptions.ApiAudience);
                server.SetAccessTokenLifetime(lifetime);
                // Keys live as long as the process: a restart of this development provider signs everyone out.
                server.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
                // The API validates access tokens itself from the published keys (JWKS), as it does with Cognito.
                server.DisableAccessTokenEncryption();
                server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    // Local development runs on http://localhost; in AWS, Cognito (https) replaces this provider.
                    .DisableTransportSecurityRequirement();
            });

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.LoginPath = "/account/login";
                options.Cookie.Name = "incidentops-identity";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
            });
        builder.Services.AddAuthorization();
        builder.Services.AddAntiforgery();
        builder.Services.AddProblemDetails();
        builder.Services.AddHostedService<ClientSeeder>();

        // Password guessing is bounded per client address, on the login form and the password grant alike.
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(LoginRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = context.RequestServices.GetRequiredService<IOptions<SignInOptions>>().Value.SignInAttemptsPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
    }
}
