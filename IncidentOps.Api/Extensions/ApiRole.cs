using IncidentOps.Core;

namespace IncidentOps.Api.Extensions;

/// <summary>
/// What this process serves (<see cref="ApiRoles.Setting"/>): all of it, intake and REST only (<c>api</c>), or the live hub
/// only (<c>hub</c>). The AppHost and the AWS stack run the image twice, as <c>api</c> and <c>hub</c>, so a crowd of screens
/// is scaled apart from the intake of alerts (bench/README.md, "The hub apart, session 10"). Read when the services are
/// wired (before options exist), so a wrong value stops the start with a message.
/// </summary>
public sealed record ApiRole(string Name)
{
    public static readonly ApiRole All = new(ApiRoles.All);
    public static readonly ApiRole Api = new(ApiRoles.Api);
    public static readonly ApiRole Hub = new(ApiRoles.Hub);

    /// <summary>Webhooks, REST, admin, drills, and the quiet-period sweep.</summary>
    public bool ServesIntake => this != Hub;

    /// <summary>The live hub, and the tail of <c>ops:events</c> that feeds it.</summary>
    public bool ServesHub => this != Api;

    public static ApiRole Read(IConfiguration configuration) => configuration[ApiRoles.Setting]?.Trim().ToLowerInvariant() switch
    {
        null or "" or ApiRoles.All => All,
        ApiRoles.Api => Api,
        ApiRoles.Hub => Hub,
        var other => throw new InvalidOperationException(
            $"{ApiRoles.Setting} must be {ApiRoles.All} (the default), {ApiRoles.Api} or {ApiRoles.Hub}; got '{other}'."),
    };
}
