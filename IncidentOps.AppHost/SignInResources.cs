using IncidentOps.Core;
using Microsoft.Extensions.Configuration;

namespace IncidentOps.AppHost;

/// <summary>Where people sign in: the issuer the API trusts and the web app signs in with, and the web app's client.</summary>
public sealed record SignInSettings(
    IResourceBuilder<ProjectResource>? Provider,
    object Authority,
    string WebClientId,
    IResourceBuilder<ParameterResource> WebClientSecret,
    IResourceBuilder<ParameterResource> WebSessionSecret);

public static class SignInResources
{
    /// <summary>The development provider's client id for the web app (IncidentOps.Identity registers it).</summary>
    public const string DevelopmentWebClientId = "incidentops-web";

    /// <summary>
    /// With <c>Auth:Authority</c> set (a Cognito user pool, any OIDC issuer), that issuer and <c>Auth:ClientId</c>.
    /// Otherwise the development provider (IncidentOps.Identity, seeded users) as a resource on its fixed port, so
    /// `scripts/run.sh` has a login page and the same OIDC code path runs locally as in AWS.
    /// </summary>
    public static SignInSettings AddIncidentOpsSignIn(this IDistributedApplicationBuilder builder)
    {
        // Secrets as parameters: the dashboard and a deployment ask for them; Development has documented defaults.
        var development = builder.Environment.EnvironmentName == "Development";
        var clientSecret = development
            ? builder.AddParameter("web-client-secret", "incidentops-web-development-secret", secret: true)
            : builder.AddParameter("web-client-secret", secret: true);
        var sessionSecret = development
            ? builder.AddParameter("web-session-secret", "incidentops-web-development-session-secret-0123456789", secret: true)
            : builder.AddParameter("web-session-secret", secret: true);

        if (builder.Configuration["Auth:Authority"] is { Length: > 0 } authority)
        {
            return new SignInSettings(null, authority, builder.Configuration["Auth:ClientId"] ?? DevelopmentWebClientId, clientSecret, sessionSecret);
        }

        var provider = builder.AddProject<Projects.IncidentOps_Identity>(ResourceNames.Identity)
            .WithHttpHealthCheck("/health")
            .WithEnvironment("Identity__WebClientSecret", clientSecret)
            .ExcludeFromManifest();
        return new SignInSettings(provider, provider.GetEndpoint("http"), DevelopmentWebClientId, clientSecret, sessionSecret);
    }

    /// <summary>The API accepts access tokens from the issuer (and, for Cognito, of the web app's client).</summary>
    public static IResourceBuilder<ProjectResource> WithSignIn(this IResourceBuilder<ProjectResource> api, SignInSettings signIn)
    {
        api.WithEnvironment(context => context.EnvironmentVariables["Auth__Authority"] = signIn.Authority)
            .WithEnvironment("Auth__ClientId", signIn.WebClientId);
        if (signIn.Provider is { } provider)
        {
            api.WaitFor(provider);
        }

        return api;
    }
}
