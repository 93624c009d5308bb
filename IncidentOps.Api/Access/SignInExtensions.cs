using IncidentOps.Api.Hubs;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace IncidentOps.Api.Access;

public static class SignInExtensions
{
    /// <summary>The default scheme: an API key when the request presents one, else the person's OIDC bearer token.</summary>
    public const string Scheme = "IncidentOps";

    /// <summary>
    /// People's OIDC access tokens (JwtBearer against <c>Auth:Authority</c>'s published keys), automation's API keys,
    /// the role policies, and the audit of every denial.
    /// </summary>
    public static void AddSignIn(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<AuthOptions>, AuthOptionsValidation>();

        builder.Services.AddAuthentication(Scheme)
            .AddPolicyScheme(Scheme, "Bearer token or API key", options =>
                options.ForwardDefaultSelector = context => ApiKeyAuthenticationHandler.Presents(context.Request)
                    ? ApiKeyAuthenticationHandler.SchemeName
                    : JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer()
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);

        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<AuthOptions>, IHostEnvironment>((jwt, auth, environment) => Configure(jwt, auth.Value, environment));

        builder.Services.AddAccessPolicies();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuditedDenials>();
    }

    private static void Configure(JwtBearerOptions jwt, AuthOptions auth, IHostEnvironment environment)
    {
        jwt.Authority = auth.EffectiveAuthority(environment.IsDevelopment());
        jwt.RequireHttpsMetadata = auth.RequireHttpsMetadata ?? !environment.IsDevelopment();
        // Claims keep their OIDC names (sub, name, role, cognito:groups), as the role claim setting names them.
        jwt.MapInboundClaims = false;
        jwt.TokenValidationParameters = new TokenValidationParameters
        {
            NameClaimType = "name",
            RoleClaimType = auth.RoleClaim,
            ValidateAudience = true,
            AudienceValidator = (audiences, token, _) =>
                audiences.Contains(auth.Audience, StringComparer.Ordinal)
                || (auth.ClientId is { Length: > 0 } clientId && token is JsonWebToken json
                    && json.TryGetPayloadValue<string>("client_id", out var tokenClient) && tokenClient == clientId),
            ClockSkew = TimeSpan.FromSeconds(30),
        };
        jwt.Events = new JwtBearerEvents
        {
            // Browsers cannot set headers on a WebSocket: the hub's client sends the token in the query string,
            // which the telemetry redacts. Only the hub path reads it there.
            OnMessageReceived = context =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments(OpsHub.Path)
                    && context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                {
                    context.Token = token;
                }
                else if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IngestTokenEndpoint>() is not null)
                {
                    // An ingest endpoint's bearer is the source's token, not a JWT: do not validate (and log) it per alert.
                    context.NoResult();
                }

                return Task.CompletedTask;
            },
        };
    }
}
