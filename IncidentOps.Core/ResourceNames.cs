namespace IncidentOps.Core;

/// <summary>Names of the Aspire resources; shared by the AppHost, the services and the tests.</summary>
public static class ResourceNames
{
    public const string Redis = "redis";
    public const string Api = "api";

    /// <summary>The API's image run a second time as the live hub only (<see cref="ApiRoles"/>): the screens connect here.</summary>
    public const string Hub = "hub";
    public const string Agents = "agents";
    public const string Metrics = "metrics";
    public const string Web = "web";
    public const string WebInstall = "web-install";

    /// <summary>Outside Development, the web app's production build (<c>next build</c>) before it is served.</summary>
    public const string WebBuild = "web-build";

    /// <summary>The development sign-in provider (OpenID Connect); Cognito takes its place in AWS.</summary>
    public const string Identity = "identity";

    /// <summary>The development sign-in provider's fixed port: tokens name it as their issuer.</summary>
    public const int IdentityPort = 5090;

    /// <summary>The API's fixed port when run from the AppHost.</summary>
    public const int ApiPort = 5080;

    /// <summary>The hub's fixed port when run from the AppHost.</summary>
    public const int HubPort = 5083;

    /// <summary>The web app's fixed port when run from the AppHost.</summary>
    public const int WebPort = 3000;
}
