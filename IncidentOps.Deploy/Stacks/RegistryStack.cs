using Amazon.CDK;
using Amazon.CDK.AWS.ECR;
using Constructs;
using IncidentOps.Deploy.Model;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// An ECR repository per service image (a service that runs another's image, the hub, has none of its own) (deployed first, so images can be pushed before the services exist), and a
/// pull-through cache of ECR Public, so the collector image is pulled through the private ECR endpoint without NAT.
/// </summary>
public sealed class RegistryStack : Stack
{
    public const string PublicCachePrefix = "ecr-public";

    public IReadOnlyDictionary<string, IRepository> Repositories { get; }

    public RegistryStack(Construct scope, string id, IReadOnlyList<ServiceSpec> services, IStackProps props) : base(scope, id, props)
    {
        Repositories = services.Where(s => s.Placement != Placement.ManagedRedis && s.ImageOf is null).ToDictionary(
            s => s.Name,
            s => (IRepository)new Repository(this, $"{s.Name}-repository", new RepositoryProps
            {
                RepositoryName = RepositoryName(s.Name),
                ImageScanOnPush = true,
                Encryption = RepositoryEncryption.KMS,
                // Images outlive a teardown; scripts/deploy.sh destroy --delete-data removes them.
                RemovalPolicy = RemovalPolicy.RETAIN,
                LifecycleRules = [new LifecycleRule { MaxImageCount = 20, Description = "keep the last 20 images" }],
            }));

        new CfnPullThroughCacheRule(this, "EcrPublicCache", new CfnPullThroughCacheRuleProps
        {
            EcrRepositoryPrefix = PublicCachePrefix,
            UpstreamRegistryUrl = "public.ecr.aws",
        });

        foreach (var (name, repository) in Repositories)
        {
            new CfnOutput(this, $"{name}Repository", new CfnOutputProps { Value = repository.RepositoryUri });
        }
    }

    public static string RepositoryName(string service) => $"incidentops/{service}";
}
