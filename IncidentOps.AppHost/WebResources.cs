using IncidentOps.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace IncidentOps.AppHost;

public static class WebResources
{
    /// <summary>
    /// The Next.js dashboards: an install step (<c>npm ci</c> when node_modules is missing or older than
    /// the lockfile), then in Development <c>npm run dev</c>, elsewhere <c>next build</c> and the standalone server,
    /// on the fixed web port, pointed at the API (REST) and the hub (the live stream).
    /// <c>Web:Enabled=false</c> leaves them out (the API-only tests do).
    /// </summary>
    public static void AddIncidentOpsWeb(this IDistributedApplicationBuilder builder, IResourceBuilder<ProjectResource> api,
        IResourceBuilder<ProjectResource> hub, SignInSettings signIn)
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

        // `next dev` (fast refresh, the dev badge) only in Development; elsewhere the production build, served by the
        // standalone server that the deployed image runs too.
        var development = builder.Environment.IsDevelopment();
        IResourceBuilder<ExecutableResource> ready = install;
        if (!development)
        {
            ready = builder.AddExecutable(ResourceNames.WebBuild, "npm", webDirectory, "run", "build:production")
                .WithEnvironment("NEXT_TELEMETRY_DISABLED", "1")
                .WaitForCompletion(install)
                .ExcludeFromManifest();
        }

        var web = (development
                ? builder.AddExecutable(ResourceNames.Web, "npm", webDirectory, "run", "dev")
                : builder.AddExecutable(ResourceNames.Web, "node", webDirectory, ".next/standalone/server.js"))
            .WithHttpEndpoint(port: builder.Configuration.GetValue("Web:Port", ResourceNames.WebPort), env: "PORT")
            .WithReference(api.GetEndpoint("http"))
            .WithReference(hub.GetEndpoint("http"))
            .WithEnvironment("NEXT_TELEMETRY_DISABLED", "1")
            // Web:PublicDemo: /demo?source=snapshot without signing in (the snapshot holds no live data).
            .WithEnvironment("WEB_PUBLIC_DEMO", builder.Configuration.GetValue("Web:PublicDemo", false) ? "true" : "false")
            .WithOtlpExporter()
            .WithHttpHealthCheck("/")
            .WaitForCompletion(ready)
            .WaitFor(api)
            .WaitFor(hub);

        // The browser calls the API and the hub directly, so both must accept the web origin.
        api.WithEnvironment("Cors__AllowedOrigins__0", web.GetEndpoint("http"));
        hub.WithEnvironment("Cors__AllowedOrigins__0", web.GetEndpoint("http"));

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
