using IncidentOps.Api.Access;

namespace IncidentOps.Api.Hubs;

public static class OpsHubEndpoints
{
    /// <summary>The live hub, for signed-in viewers and up (the token in the query string, as browsers must send it).</summary>
    public static IEndpointRouteBuilder MapOpsHub(this IEndpointRouteBuilder app)
    {
        var limits = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<HubLimitOptions>>().Value;
        // The connections gauge exists from start-up (0 before the first client), not from the first connection on.
        app.ServiceProvider.GetRequiredService<HubConnectionCounter>();
        app.MapHub<OpsHub>(OpsHub.Path, connection => connection.ApplicationMaxBufferSize = limits.SendBufferBytes)
            .RequireAuthorization(AccessPolicies.Viewer);
        return app;
    }
}
