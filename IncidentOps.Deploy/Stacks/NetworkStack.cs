using Amazon.CDK;
using Amazon.CDK.AWS.EC2;
using Constructs;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// The VPC: public subnets for the ALB (and the NAT gateway, when there is one), private subnets for the tasks and
/// Redis, and interface endpoints for every AWS API the tasks call, so they work with no NAT at all.
/// </summary>
public sealed class NetworkStack : Stack
{
    public IVpc Vpc { get; }

    public SubnetSelection TaskSubnets { get; }

    public NetworkStack(Construct scope, string id, DeploySettings settings, IStackProps props) : base(scope, id, props)
    {
        var privateType = settings.NatGateways > 0 ? SubnetType.PRIVATE_WITH_EGRESS : SubnetType.PRIVATE_ISOLATED;
        Vpc = new Vpc(this, "Vpc", new VpcProps
        {
            MaxAzs = settings.MaxAzs,
            NatGateways = settings.NatGateways,
            // The default security group is unused; restricting it needs a custom-resource Lambda.
            RestrictDefaultSecurityGroup = false,
            SubnetConfiguration =
            [
                new SubnetConfiguration { Name = "public", SubnetType = SubnetType.PUBLIC, CidrMask = 24 },
                new SubnetConfiguration { Name = "private", SubnetType = privateType, CidrMask = 22 },
            ],
        });
        TaskSubnets = new SubnetSelection { SubnetType = privateType };

        // ECR serves image layers from S3: the gateway endpoint is free.
        Vpc.AddGatewayEndpoint("S3", new GatewayVpcEndpointOptions
        {
            Service = GatewayVpcEndpointAwsService.S3,
            Subnets = [TaskSubnets],
        });

        if (!settings.VpcEndpoints)
        {
            return;
        }

        foreach (var (name, service) in InterfaceEndpoints(settings))
        {
            Vpc.AddInterfaceEndpoint(name, new InterfaceVpcEndpointOptions
            {
                Service = new InterfaceVpcEndpointAwsService(service),
                Subnets = TaskSubnets,
                PrivateDnsEnabled = true,
            });
        }
    }

    /// <summary>The AWS APIs the tasks call; the AI ones only when the configuration uses them.</summary>
    public static IEnumerable<(string Name, string Service)> InterfaceEndpoints(DeploySettings settings)
    {
        yield return ("EcrApi", "ecr.api");
        yield return ("EcrDocker", "ecr.dkr");
        yield return ("Logs", "logs");
        yield return ("SecretsManager", "secretsmanager");
        yield return ("XRay", "xray");
        yield return ("CognitoIdp", "cognito-idp");
        yield return ("BedrockRuntime", "bedrock-runtime");
        if (settings.KnowledgeBaseId is not null || settings.AgentId is not null)
        {
            yield return ("BedrockAgentRuntime", "bedrock-agent-runtime");
        }

        if (settings.QBusinessApplicationId is not null)
        {
            yield return ("QBusiness", "qbusiness");
        }

        if (settings.UseComprehend)
        {
            yield return ("Comprehend", "comprehend");
        }

        if (settings.UseTextract)
        {
            yield return ("Textract", "textract");
        }
    }
}
