namespace IncidentOps.Core;

/// <summary>
/// What one API process serves, set by <see cref="Setting"/>: shared by the API, the AppHost (which runs the image twice,
/// once per role) and the tests.
/// </summary>
public static class ApiRoles
{
    /// <summary>The configuration key (<c>Api__Role</c> in the environment).</summary>
    public const string Setting = "Api:Role";

    /// <summary>Everything in one process: intake, REST and the live hub (the default, so the API alone still runs whole).</summary>
    public const string All = "all";

    /// <summary>Intake and REST; no live hub, so no tail of <c>ops:events</c> for screens.</summary>
    public const string Api = ResourceNames.Api;

    /// <summary>The live hub for the screens (with sign-in and health); no intake or REST.</summary>
    public const string Hub = ResourceNames.Hub;
}
