using Microsoft.Extensions.Configuration;

namespace IncidentOps.AppHost;

public static class SharedSettings
{
    /// <summary>
    /// Hands every setting under <paramref name="section"/> of the AppHost's configuration (e.g. <c>Metrics:Cost</c>)
    /// to the resource as environment variables, so settings two services must agree on are written once.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSharedSettings(this IResourceBuilder<ProjectResource> project, IDistributedApplicationBuilder builder, string section)
    {
        foreach (var pair in builder.Configuration.GetSection(section).AsEnumerable())
        {
            if (pair.Value is not null)
            {
                project.WithEnvironment(pair.Key.Replace(":", "__", StringComparison.Ordinal), pair.Value);
            }
        }

        return project;
    }
}
