using Amazon.CDK;
using IncidentOps.Deploy.Model;
using IncidentOps.Deploy.Stacks;

namespace IncidentOps.Deploy;

/// <summary>Every stack of one deployment, in deploy order.</summary>
public sealed record IncidentOpsStacks(
    NetworkStack Network,
    RegistryStack Registry,
    DataStack Data,
    SecretsStack Secrets,
    EdgeStack Edge,
    IdentityStack Identity,
    ObservabilityStack Observability,
    ComputeStack Compute)
{
    public IEnumerable<Stack> All => [Network, Registry, Data, Secrets, Edge, Identity, Observability, Compute];

    /// <summary>
    /// Adds the stacks to <paramref name="app"/>: one service per resource of the AppHost's manifest (a resource with no
    /// placement fails here, before anything is synthesized).
    /// </summary>
    public static IncidentOpsStacks Add(App app, DeploySettings settings, AspireManifest manifest)
    {
        var catalog = ServiceCatalog.Resolve(manifest);
        var props = new StackProps
        {
            Env = settings.Account is null && settings.Region is null ? null : new Amazon.CDK.Environment { Account = settings.Account, Region = settings.Region },
            Tags = new Dictionary<string, string> { ["application"] = "incidentops" },
        };
        string Name(string part) => $"{settings.Prefix}-{part}";

        var network = new NetworkStack(app, Name("Network"), settings, props);
        var registry = new RegistryStack(app, Name("Registry"), catalog, props);
        var data = new DataStack(app, Name("Data"), settings, network, props);
        var secrets = new SecretsStack(app, Name("Secrets"), settings, props);
        var edge = new EdgeStack(app, Name("Edge"), settings, network, secrets, props);
        var identity = new IdentityStack(app, Name("Identity"), settings, edge, props);
        var observability = new ObservabilityStack(app, Name("Observability"), settings, data, secrets, edge, props);
        var compute = new ComputeStack(app, Name("Compute"), settings,
            new ComputeInputs(manifest, catalog, network, data, secrets, registry, edge, identity, observability), props);
        return new IncidentOpsStacks(network, registry, data, secrets, edge, identity, observability, compute);
    }
}
