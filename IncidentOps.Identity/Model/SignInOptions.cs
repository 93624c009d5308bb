using System.ComponentModel.DataAnnotations;
using IncidentOps.Core.Access;

namespace IncidentOps.Identity.Model;

/// <summary>
/// The development sign-in provider's settings (<c>Identity:*</c>): who may sign in and which applications may
/// ask for their tokens. In AWS, Cognito takes this provider's place; nothing here is used there.
/// </summary>
public sealed class SignInOptions
{
    public const string Section = "Identity";

    /// <summary>The audience every access token carries; the API accepts only tokens for it (<c>Auth:Audience</c>).</summary>
    public const string ApiAudience = "incidentops-api";

    public const string WebClientId = "incidentops-web";

    /// <summary>A public client for scripts (<c>scripts/dev-token.sh</c>): password grant, no secret.</summary>
    public const string CliClientId = "incidentops-cli";

    /// <summary>People who may sign in. Empty: the four seeded users of <see cref="SeededUsers"/>.</summary>
    public List<SignInUser> Users { get; set; } = [];

    /// <summary>Origins of the web app (e.g. <c>http://localhost:3000</c>); each gets its next-auth callback and sign-out return.</summary>
    public List<string> WebOrigins { get; set; } = [];

    [Required, MinLength(16)]
    public string WebClientSecret { get; set; } = "incidentops-web-development-secret";

    [Range(60, 24 * 3600)]
    public int AccessTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Sign-in attempts (login form and token requests) per client address and minute.</summary>
    [Range(1, 100_000)]
    public int SignInAttemptsPerMinute { get; set; } = 60;

    public IReadOnlyList<SignInUser> EffectiveUsers => Users.Count > 0 ? Users : SeededUsers;

    /// <summary>One user per role, documented in the README with their passwords. Development only.</summary>
    public static readonly IReadOnlyList<SignInUser> SeededUsers =
    [
        new() { Username = "viewer", Password = "viewer-password", Role = Roles.Viewer, Name = "Vera Viewer", Email = "viewer@incidentops.local" },
        new() { Username = "responder", Password = "responder-password", Role = Roles.Responder, Name = "Ravi Responder", Email = "responder@incidentops.local" },
        new() { Username = "approver", Password = "approver-password", Role = Roles.Approver, Name = "Ana Approver", Email = "approver@incidentops.local" },
        new() { Username = "admin", Password = "admin-password", Role = Roles.Admin, Name = "Ada Admin", Email = "admin@incidentops.local" },
    ];
}

public sealed class SignInUser
{
    public string Username { get; set; } = string.Empty;

    public string Password { get; set; } = string.Empty;

    public string Role { get; set; } = Roles.Viewer;

    public string Name { get; set; } = string.Empty;

    public string Email { get; set; } = string.Empty;
}
