using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.EC2;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Logs;
using Constructs;
using IncidentOps.Core;
using IncidentOps.Deploy.Model;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace IncidentOps.Deploy.Stacks;

/// <summary>The stacks a service's task definition draws on.</summary>
public sealed record ComputeInputs(
    AspireManifest Manifest,
    IReadOnlyList<ServiceSpec> Catalog,
    NetworkStack Network,
    DataStack Data,
    SecretsStack Secrets,
    RegistryStack Registry,
    EdgeStack Edge,
    IdentityStack Identity,
    ObservabilityStack Observability);

/// <summary>
/// The ECS cluster and one Fargate service per AppHost project (and the web app): each with its own task role, log
/// group, security group and OpenTelemetry collector; rolling deploys that roll back on a failed circuit breaker.
/// </summary>
public sealed class ComputeStack : Stack
{
    public const string InternalDomain = "incidentops.internal";

    /// <summary>
    /// ALB routes (after CloudFront): the web app's sign-in routes, the live hub's connections to the hub service, then the
    /// API, then the web app for the rest.
    /// </summary>
    public static readonly IReadOnlyList<(int Priority, string Service, string[] Paths)> Routes =
    [
        (10, ResourceNames.Web, ["/api/auth/*"]),
        (15, ResourceNames.Hub, ["/hubs/*"]),
        (20, ResourceNames.Api, ["/api/*", "/dashboard/*"]),
        (100, ResourceNames.Web, ["/*"]),
    ];

    public Cluster Cluster { get; }

    public IReadOnlyDictionary<string, FargateService> Services { get; }

    public IReadOnlyDictionary<string, ApplicationTargetGroup> TargetGroups { get; }

    public ComputeStack(Construct scope, string id, DeploySettings settings, ComputeInputs inputs, IStackProps props) : base(scope, id, props)
    {
        var (network, data, edge) = (inputs.Network, inputs.Data, inputs.Edge);
        Cluster = new Cluster(this, "Cluster", new ClusterProps
        {
            Vpc = network.Vpc,
            ClusterName = "incidentops",
            ContainerInsights = true,
            DefaultCloudMapNamespace = new CloudMapNamespaceOptions { Name = InternalDomain, Vpc = network.Vpc },
        });

        new LogGroup(this, "OtelMetrics", new LogGroupProps
        {
            LogGroupName = Telemetry.MetricsLogGroup,
            Retention = Retention(settings.LogRetentionDays),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var addresses = new DeployAddresses(edge.PublicUrl, InternalDomain, inputs.Identity.Authority);
        var services = new Dictionary<string, FargateService>();
        var targetGroups = new Dictionary<string, ApplicationTargetGroup>();
        var groups = new Dictionary<string, SecurityGroup>();
        foreach (var spec in inputs.Catalog.Where(s => s.Placement != Placement.ManagedRedis))
        {
            var environment = EnvironmentTranslator.Translate(inputs.Manifest[spec.Name], inputs.Catalog, addresses);
            var (plain, secrets) = Split(spec, environment, data, ParameterSecrets(inputs));
            foreach (var (key, value) in ServiceSettings.For(spec, settings, inputs))
            {
                if (plain.TryGetValue(key, out var existing) && existing != value && !ServiceSettings.SignInKeys.Contains(key))
                {
                    throw new InvalidOperationException($"{spec.Name}: {key} is set by the AppHost ('{existing}') and by the deployment ('{value}').");
                }

                plain[key] = value;
            }

            foreach (var (key, secret) in ServiceSettings.SecretsFor(spec, inputs.Secrets))
            {
                secrets[key] = secret;
            }

            var group = new SecurityGroup(this, $"{spec.Name}-group", new SecurityGroupProps
            {
                Vpc = network.Vpc,
                Description = $"IncidentOps {spec.Name} tasks",
                AllowAllOutbound = true,
            });
            groups[spec.Name] = group;

            var task = TaskDefinition(spec, settings, inputs, plain, secrets);
            var service = new FargateService(this, $"{spec.Name}-service", new FargateServiceProps
            {
                Cluster = Cluster,
                ServiceName = $"incidentops-{spec.Name}",
                TaskDefinition = task,
                DesiredCount = MinTasks(spec, settings),
                MinHealthyPercent = 100,
                MaxHealthyPercent = 200,
                CircuitBreaker = new DeploymentCircuitBreaker { Enable = true, Rollback = true },
                VpcSubnets = network.TaskSubnets,
                SecurityGroups = [group],
                AssignPublicIp = false,
                CloudMapOptions = new CloudMapOptions { Name = spec.Name, DnsTtl = Duration.Seconds(10) },
                HealthCheckGracePeriod = spec.Placement == Placement.PublicService ? Duration.Seconds(60) : null,
                PropagateTags = PropagatedTagSource.SERVICE,
            });
            services[spec.Name] = service;

            // Only the services the AppHost gives a Redis connection reach Redis (the rule lives in this stack).
            if (environment.Values.OfType<RedisConnectionSecret>().Any())
            {
                group.Connections.AllowTo(data.RedisGroup, Port.Tcp(DataStack.RedisPort), $"{spec.Name} to Redis");
            }

            // Registering the target group lets the ALB's group in to this service's group, on its port only.
            if (spec.Placement == Placement.PublicService)
            {
                targetGroups[spec.Name] = TargetGroup(spec, network, service);
            }
        }

        foreach (var (priority, service, paths) in Routes)
        {
            new ApplicationListenerRule(this, $"route-{priority}", new ApplicationListenerRuleProps
            {
                Listener = edge.Listener,
                Priority = priority,
                Conditions =
                [
                    ListenerCondition.PathPatterns(paths),
                    ListenerCondition.HttpHeader(EdgeStack.OriginVerifyHeader, [inputs.Secrets.OriginVerify.SecretValue.UnsafeUnwrap()]),
                ],
                Action = ListenerAction.Forward([targetGroups[service]]),
            });
        }

        ServiceScaling.Apply(settings, services, targetGroups);
        Services = services;
        TargetGroups = targetGroups;

        new CfnOutput(this, "ClusterName", new CfnOutputProps { Value = Cluster.ClusterName });
        new CfnOutput(this, "ServiceNames", new CfnOutputProps { Value = string.Join(' ', services.Values.Select(s => s.ServiceName)) });
    }

    private FargateTaskDefinition TaskDefinition(ServiceSpec spec, DeploySettings settings, ComputeInputs inputs,
        Dictionary<string, string> plain, Dictionary<string, EcsSecret> secrets)
    {
        var role = new Role(this, $"{spec.Name}-task-role", new RoleProps
        {
            AssumedBy = new ServicePrincipal("ecs-tasks.amazonaws.com"),
            Description = $"IncidentOps {spec.Name}: only what this service calls",
        });
        foreach (var statement in TaskPolicies.For(spec.Name, settings))
        {
            role.AddToPolicy(statement);
        }

        var task = new FargateTaskDefinition(this, $"{spec.Name}-task", new FargateTaskDefinitionProps
        {
            Family = $"incidentops-{spec.Name}",
            Cpu = spec.Cpu,
            MemoryLimitMiB = spec.MemoryMiB,
            TaskRole = role,
            RuntimePlatform = new RuntimePlatform { CpuArchitecture = CpuArchitecture.X86_64, OperatingSystemFamily = OperatingSystemFamily.LINUX },
        });

        var logs = new LogGroup(this, $"{spec.Name}-logs", new LogGroupProps
        {
            LogGroupName = $"/incidentops/{spec.Name}",
            Retention = Retention(settings.LogRetentionDays),
            RemovalPolicy = RemovalPolicy.DESTROY,
        });

        var container = task.AddContainer(spec.Name, new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromEcrRepository(inputs.Registry.Repositories[spec.ImageOf ?? spec.Name], settings.ImageTag),
            Essential = true,
            Environment = plain,
            Secrets = secrets,
            PortMappings = [new PortMapping { Name = "http", ContainerPort = spec.ContainerPort, Protocol = Amazon.CDK.AWS.ECS.Protocol.TCP }],
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logs, StreamPrefix = spec.Name }),
            ReadonlyRootFilesystem = spec.ReadOnlyRootFilesystem,
            // The chiseled .NET images' "app" user and the Node.js image's "node" user: never root.
            User = spec.Project == "IncidentOps.Web" ? "1000" : "1654",
            StopTimeout = Duration.Seconds(30),
        });

        if (spec.ReadOnlyRootFilesystem)
        {
            task.AddVolume(new Amazon.CDK.AWS.ECS.Volume { Name = "tmp" });
            container.AddMountPoints(new MountPoint { ContainerPath = "/tmp", SourceVolume = "tmp", ReadOnly = false });
        }

        var collector = task.AddContainer("otel-collector", new ContainerDefinitionOptions
        {
            Image = ContainerImage.FromRegistry(
                $"{Aws.ACCOUNT_ID}.dkr.ecr.{Aws.REGION}.{Aws.URL_SUFFIX}/{RegistryStack.PublicCachePrefix}/{Telemetry.CollectorImage}"),
            Essential = false,
            Environment = new Dictionary<string, string> { ["AOT_CONFIG_CONTENT"] = Telemetry.CollectorConfig(Aws.REGION) },
            Logging = LogDriver.AwsLogs(new AwsLogDriverProps { LogGroup = logs, StreamPrefix = "otel" }),
            ReadonlyRootFilesystem = true,
            MemoryReservationMiB = 64,
        });
        container.AddContainerDependencies(new ContainerDependency { Container = collector, Condition = ContainerDependencyCondition.START });

        // The collector image comes through the ECR Public pull-through cache; its first pull creates the cache repository.
        task.ObtainExecutionRole().AddToPrincipalPolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "PullThroughCache",
            Actions = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
            Resources = [$"arn:{Aws.PARTITION}:ecr:{Aws.REGION}:{Aws.ACCOUNT_ID}:repository/{RegistryStack.PublicCachePrefix}/*"],
        }));
        return task;
    }

    private ApplicationTargetGroup TargetGroup(ServiceSpec spec, NetworkStack network, FargateService service) =>
        new(this, $"{spec.Name}-targets", new ApplicationTargetGroupProps
        {
            Vpc = network.Vpc,
            Port = spec.ContainerPort,
            Protocol = ApplicationProtocol.HTTP,
            TargetType = TargetType.IP,
            Targets = [service],
            HealthCheck = new Amazon.CDK.AWS.ElasticLoadBalancingV2.HealthCheck
            {
                Path = spec.HealthPath,
                HealthyHttpCodes = "200",
                Interval = Duration.Seconds(15),
                Timeout = Duration.Seconds(5),
                HealthyThresholdCount = 2,
                UnhealthyThresholdCount = 3,
            },
            DeregistrationDelay = Duration.Seconds(30),
            // The web app's SignalR client negotiates (POST /hubs/ops/negotiate) and then opens its WebSocket with the
            // connection token that one task issued: both must reach that task (no skipNegotiation in useOpsStream).
            StickinessCookieDuration = spec.Name == ResourceNames.Hub ? Duration.Hours(1) : null,
        });

    /// <summary>Where each of the AppHost's secret parameters lives in AWS (ServiceCatalog.SecretParameters).</summary>
    private static Dictionary<string, Amazon.CDK.AWS.SecretsManager.ISecret> ParameterSecrets(ComputeInputs inputs) => new(StringComparer.Ordinal)
    {
        ["web-client-secret"] = inputs.Identity.WebClientSecret,
        ["web-session-secret"] = inputs.Secrets.WebSessionKey,
    };

    private static (Dictionary<string, string> Plain, Dictionary<string, EcsSecret> Secrets) Split(
        ServiceSpec spec, IReadOnlyDictionary<string, EnvValue> environment, DataStack data,
        Dictionary<string, Amazon.CDK.AWS.SecretsManager.ISecret> parameters)
    {
        var plain = new Dictionary<string, string>(StringComparer.Ordinal);
        var secrets = new Dictionary<string, EcsSecret>(StringComparer.Ordinal);
        foreach (var (key, value) in environment)
        {
            switch (value)
            {
                case PlainValue p:
                    plain[key] = p.Value;
                    break;
                case RedisConnectionSecret:
                    secrets[key] = EcsSecret.FromSecretsManager(data.RedisConnection);
                    break;
                case ParameterSecret p:
                    secrets[key] = EcsSecret.FromSecretsManager(parameters[p.Parameter]);
                    break;
                default:
                    throw new InvalidOperationException($"{spec.Name}: {key} has a value kind the deployment does not place.");
            }
        }

        return (plain, secrets);
    }

    private static int MinTasks(ServiceSpec spec, DeploySettings settings) => spec.Name switch
    {
        ResourceNames.Api => settings.ApiMinTasks,
        ResourceNames.Hub => settings.HubMinTasks,
        ResourceNames.Agents => settings.AgentsMinTasks,
        _ => 1,
    };

    private static readonly SortedDictionary<int, RetentionDays> RetentionChoices = new()
    {
        [1] = RetentionDays.ONE_DAY, [3] = RetentionDays.THREE_DAYS, [5] = RetentionDays.FIVE_DAYS, [7] = RetentionDays.ONE_WEEK,
        [14] = RetentionDays.TWO_WEEKS, [30] = RetentionDays.ONE_MONTH, [60] = RetentionDays.TWO_MONTHS,
        [90] = RetentionDays.THREE_MONTHS, [180] = RetentionDays.SIX_MONTHS, [365] = RetentionDays.ONE_YEAR,
    };

    /// <summary>CloudWatch Logs' allowed retention at or above the setting (a year at most).</summary>
    private static RetentionDays Retention(int days) =>
        RetentionChoices.FirstOrDefault(c => c.Key >= days, new KeyValuePair<int, RetentionDays>(365, RetentionDays.ONE_YEAR)).Value;
}
