using Amazon.CDK;
using Amazon.CDK.AWS.SecretsManager;
using Constructs;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// Generated secrets the services and the edge share: one ingest token per alert source, the web app's session key,
/// and the header CloudFront adds so the ALB serves nobody else. ECS hands them to tasks as secrets, never as plain
/// environment; rotate one by putting a new value and redeploying (tokens accept a comma-separated list).
/// </summary>
public sealed class SecretsStack : Stack
{
    /// <summary>The API's ingest sources (Ingest:Tokens:*), as the API names them.</summary>
    public static readonly IReadOnlyList<string> IngestSources = ["Events", "Alertmanager", "Grafana", "CloudWatch"];

    public IReadOnlyDictionary<string, ISecret> IngestTokens { get; }

    public ISecret WebSessionKey { get; }

    public ISecret OriginVerify { get; }

    public SecretsStack(Construct scope, string id, DeploySettings settings, IStackProps props) : base(scope, id, props)
    {
        var removal = settings.RetainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
        ISecret Generated(string name, string description) => new Secret(this, name, new SecretProps
        {
            Description = description,
            GenerateSecretString = new SecretStringGenerator { ExcludePunctuation = true, PasswordLength = 48 },
            RemovalPolicy = removal,
        });

        IngestTokens = IngestSources.ToDictionary(
            source => source,
            source => Generated($"IngestToken{source}", $"IncidentOps ingest token for {source} (Ingest:Tokens:{source})"));
        WebSessionKey = Generated("WebSessionKey", "IncidentOps web app session encryption key (NEXTAUTH_SECRET)");
        OriginVerify = Generated("OriginVerify", "Header value CloudFront adds so the ALB accepts only CloudFront's requests");
    }
}
