using IncidentOps.Core;

namespace IncidentOps.Deploy.Model;

/// <summary>How one AppHost resource runs in AWS.</summary>
public enum Placement
{
    /// <summary>The managed Redis of the data stack (MemoryDB or ElastiCache).</summary>
    ManagedRedis,

    /// <summary>A Fargate service behind the ALB (a target group and listener rules).</summary>
    PublicService,

    /// <summary>A Fargate service with no inbound traffic (a worker).</summary>
    Worker,
}

/// <summary>
/// What the deployment knows about one AppHost resource beyond the manifest: sizes, ports, image, scaling.
/// <paramref name="ImageOf"/> names the service whose image this one runs (the hub runs the API's), so it has no
/// repository or build of its own.
/// </summary>
public sealed record ServiceSpec(
    string Name,
    Placement Placement,
    int ContainerPort = 8080,
    int Cpu = 256,
    int MemoryMiB = 512,
    string? Project = null,
    bool ReadOnlyRootFilesystem = true,
    string HealthPath = "/health",
    string? ImageOf = null);

/// <summary>
/// The deploy mapping of every AppHost resource. A resource the AppHost runs and this catalogue does not place fails
/// synth (so AWS cannot silently miss it), and so does a placed resource the AppHost no longer has.
/// </summary>
public static class ServiceCatalog
{
    public static readonly IReadOnlyList<ServiceSpec> Services =
    [
        new(ResourceNames.Redis, Placement.ManagedRedis),
        new(ResourceNames.Api, Placement.PublicService, Cpu: 512, MemoryMiB: 1024, Project: "IncidentOps.Api", HealthPath: "/dashboard/health"),

        // The API's image in the hub role (Api__Role from the AppHost): the screens' connections, scaled apart from intake.
        new(ResourceNames.Hub, Placement.PublicService, Cpu: 512, MemoryMiB: 1024, Project: "IncidentOps.Api", HealthPath: "/dashboard/health",
            ImageOf: ResourceNames.Api),
        new(ResourceNames.Agents, Placement.Worker, Cpu: 512, MemoryMiB: 1024, Project: "IncidentOps.Agents"),
        new(ResourceNames.Metrics, Placement.Worker, Project: "IncidentOps.Metrics"),

        // Next.js with server rendering (next-auth needs a server): a Node.js image, not a .NET container publish.
        // It writes its cache under .next, so its root file system stays writable.
        new(ResourceNames.Web, Placement.PublicService, ContainerPort: ResourceNames.WebPort, Project: "IncidentOps.Web",
            ReadOnlyRootFilesystem: false, HealthPath: "/"),
    ];

    /// <summary>AppHost resources that exist only for a local run: installers, and the development sign-in provider (Cognito in AWS).</summary>
    public static readonly IReadOnlySet<string> LocalOnly = new HashSet<string>(StringComparer.Ordinal) { ResourceNames.WebInstall, ResourceNames.WebBuild, ResourceNames.Identity };

    /// <summary>
    /// The AppHost's secret parameters and the Secrets Manager secret each becomes (ComputeStack hands them to tasks as
    /// ECS secrets). A secret parameter a service uses that is not listed stops the synth.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SecretParameters = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["web-client-secret"] = "the Cognito web client's secret (IdentityStack)",
        ["web-session-secret"] = "the web app's session key (SecretsStack)",
    };

    /// <summary>The catalogue's entry of each running manifest resource, or the list of what does not match.</summary>
    public static IReadOnlyList<ServiceSpec> Resolve(AspireManifest manifest)
    {
        var running = manifest.Resources.Where(r => r.Runs && !LocalOnly.Contains(r.Name)).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        var unmapped = running.Where(name => Services.All(s => s.Name != name)).Order(StringComparer.Ordinal).ToList();
        var gone = Services.Where(s => !running.Contains(s.Name)).Select(s => s.Name).ToList();
        if (unmapped.Count > 0 || gone.Count > 0)
        {
            throw new DeployDriftException(unmapped, gone);
        }

        return Services;
    }
}

/// <summary>The AppHost and the deployment disagree on which resources exist.</summary>
public sealed class DeployDriftException(IReadOnlyList<string> unmapped, IReadOnlyList<string> gone) : Exception(Describe(unmapped, gone))
{
    public IReadOnlyList<string> Unmapped { get; } = unmapped;

    public IReadOnlyList<string> Gone { get; } = gone;

    private static string Describe(IReadOnlyList<string> unmapped, IReadOnlyList<string> gone)
    {
        var parts = new List<string>();
        if (unmapped.Count > 0)
        {
            parts.Add($"The AppHost runs {string.Join(", ", unmapped)} but IncidentOps.Deploy has no AWS placement for it: " +
                "add it to ServiceCatalog.Services (or to LocalOnly if it exists only for a local run).");
        }

        if (gone.Count > 0)
        {
            parts.Add($"IncidentOps.Deploy places {string.Join(", ", gone)} but the AppHost no longer has it: remove it from ServiceCatalog.Services.");
        }

        return string.Join(' ', parts);
    }
}
