using IncidentOps.Core;
using Microsoft.Extensions.Configuration;

namespace IncidentOps.AppHost;

public static class WebResources
{
    /// <summary>
    /// The Next.js dashboards: an install step (<c>npm ci</c> when node_modules is missing or older than
    /// the lockfile) and then <c>npm run dev</c> on the fixed web port, pointed at the API.
    /// <c>Web:Enabled=false</c> leaves them out (the API-only tests do).
    /// </summary>
    public static void AddIncidentOpsWeb(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api, SignInSettings signIn)
    {
        if (!builder.Configuration.GetValue("Web:Enabled", true))
        {
            return;
        }

        var webDirectory = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, "..", "IncidentOps.Web"));

        // Aspire.Hosting.JavaScript (AddNpmApp / WithNpm) is not in the registry these machines reach,
        // so the install step is a small script of the web app's own.
        var install = builder.AddExecutable(ResourceNames.WebInstall, "node", webDirectory, "scripts/ensure-deps.mjs")
            .ExcludeFromManifest();

        var web = builder.AddExecutable(ResourceNames.Web, "npm", webDirectory, "run", "dev")
            .WithHttpEndpoint(port: builder.Configuration.GetValue("Web:Port", ResourceNames.WebPort), env: "PORT")
            .WithReference(api.GetEndpoint("http"))
            .WithEnvironment("NEXT_TELEMETRY_DISABLED", "1")
            .WithOtlpExporter()
            .WithHttpHealthCheck("/")
            .WaitForCompletion(install)
            .WaitFor(api);

        // The browser calls the API directly, so the API must accept the web origin.
        api.WithEnvironment("Cors__AllowedOrigins__0", web.GetEndpoint("http"));

        // next-auth: the issuer, the web app's client, where it is (for its callback URL), and its session key.
        web.WithEnvironment(context => context.EnvironmentVariables["AUTH_ISSUER"] = signIn.Authority)
            .WithEnvironment("AUTH_CLIENT_ID", signIn.WebClientId)
            .WithEnvironment("AUTH_CLIENT_SECRET", signIn.WebClientSecret)
            .WithEnvironment("NEXTAUTH_SECRET", signIn.WebSessionSecret)
            .WithEnvironment("NEXTAUTH_URL", web.GetEndpoint("http"));
        if (signIn.Provider is { } provider)
        {
            provider.WithEnvironment("Identity__WebOrigins__0", web.GetEndpoint("http"));
            web.WaitFor(provider);
        }
    }
}
