using IncidentOps.Core.Access;

namespace IncidentOps.Api.Access;

/// <summary>
/// One authorization policy per role, each met by that role or a higher one. Route groups name them
/// (<c>RequireAuthorization(AccessPolicies.Responder)</c>); no handler checks roles itself.
/// </summary>
public static class AccessPolicies
{
    public const string Viewer = Roles.Viewer;
    public const string Responder = Roles.Responder;
    public const string Approver = Roles.Approver;
    public const string Admin = Roles.Admin;

    public static void AddAccessPolicies(this IServiceCollection services) =>
        services.AddAuthorizationBuilder()
            .AddPolicy(Viewer, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Viewer)))
            .AddPolicy(Responder, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Responder)))
            .AddPolicy(Approver, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Approver)))
            .AddPolicy(Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.AtLeast(Roles.Admin)));
}

/// <summary>
/// Marks an endpoint that people do not call: machines authenticate with the named source's ingest token, checked by
/// the handler (the Events v2 token may sit in the body). The role-matrix test knows such endpoints by this.
/// </summary>
public sealed record IngestTokenEndpoint(string Source);

public static class IngestTokenEndpointExtensions
{
    /// <summary>No person's sign-in; the source's ingest token instead (checked in the handler).</summary>
    public static TBuilder RequireIngestToken<TBuilder>(this TBuilder builder, string source) where TBuilder : IEndpointConventionBuilder =>
        builder.AllowAnonymous().WithMetadata(new IngestTokenEndpoint(source));
}
