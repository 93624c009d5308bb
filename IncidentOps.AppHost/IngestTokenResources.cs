namespace IncidentOps.AppHost;

public static class IngestTokenResources
{
    /// <summary>The one documented token every source accepts in Development (the README's curl examples use it).</summary>
    public const string DevelopmentToken = "dev-ingest-token";

    /// <summary>
    /// In Development, gives every ingest source the documented token. Outside Development nothing is set:
    /// the API then refuses to start until real tokens are configured (Ingest:Tokens:*).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithDevelopmentIngestTokens(this IResourceBuilder<ProjectResource> api, IDistributedApplicationBuilder builder)
    {
        if (builder.Environment.EnvironmentName != "Development")
        {
            return api;
        }

        foreach (var source in new[] { "Events", "Alertmanager", "Grafana", "CloudWatch" })
        {
            api.WithEnvironment($"Ingest__Tokens__{source}", DevelopmentToken);
        }

        return api;
    }
}
