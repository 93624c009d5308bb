using IncidentOps.Core;

namespace IncidentOps.AppHost;

public static class ApiRoleResources
{
    /// <summary><see cref="ApiRoles.Setting"/> as an environment variable.</summary>
    public const string Variable = "Api__Role";

    /// <summary>The API's GC settings the runtime takes from the environment only (<see cref="ApiGcEnvironment"/>), for either role.</summary>
    public static IResourceBuilder<ProjectResource> WithApiGcEnvironment(this IResourceBuilder<ProjectResource> api)
    {
        foreach (var (name, value) in ApiGcEnvironment.Variables)
        {
            api.WithEnvironment(name, value);
        }

        return api;
    }

    /// <summary>
    /// The <c>hub</c> resource: the API's project again, in the hub role (the live hub, sign-in and health; no intake), on
    /// its own fixed port. It tails <c>ops:events</c> itself, so it needs nothing from the <c>api</c> resource but Redis.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddIncidentOpsHub(
        this IDistributedApplicationBuilder builder, IResourceBuilder<IResourceWithConnectionString> redis, SignInSettings signIn) =>
        // No launch profile: the API's profile fixes port 5080, which is the api resource's.
        builder.AddProject<Projects.IncidentOps_Api>(ResourceNames.Hub, launchProfileName: null)
            .WithHttpEndpoint(port: ResourceNames.HubPort)
            // What the launch profile gives the api resource locally; a deployment sets its own.
            .WithEnvironment(context =>
            {
                if (builder.ExecutionContext.IsRunMode)
                {
                    context.EnvironmentVariables["ASPNETCORE_ENVIRONMENT"] = builder.Environment.EnvironmentName;
                }
            })
            .WithEnvironment(Variable, ApiRoles.Hub)
            .WithApiGcEnvironment()
            .WithReference(redis).WaitFor(redis)
            .WithHttpHealthCheck("/health")
            .WithSignIn(signIn);
}
