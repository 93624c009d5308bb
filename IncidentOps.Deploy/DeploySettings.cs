using System.Globalization;
using Constructs;

namespace IncidentOps.Deploy;

/// <summary>Which managed Redis holds the event log and the incident state.</summary>
public enum RedisEngine
{
    /// <summary>Amazon MemoryDB: durable (multi-AZ transaction log), TLS, ACL users. The default.</summary>
    MemoryDb,

    /// <summary>ElastiCache for Redis OSS (cluster mode off, one replica): cheaper, not durable across a full failure.</summary>
    ElastiCache,
}

/// <summary>
/// Every choice the deployment makes, read from CDK context (<c>cdk.json</c>, <c>-c key=value</c>) with defaults
/// sized for a small team. Names match the context keys the README lists.
/// </summary>
public sealed record DeploySettings
{
    public string Prefix { get; init; } = "IncidentOps";
    public string? Account { get; init; }
    public string? Region { get; init; }
    public string AspireManifest { get; init; } = "../artifacts/aspire-manifest.json";
    public string ImageTag { get; init; } = "latest";

    // network
    public int MaxAzs { get; init; } = 2;
    public int NatGateways { get; init; } = 1;

    /// <summary>Interface endpoints for the AWS APIs the tasks call; needed when <see cref="NatGateways"/> is 0.</summary>
    public bool VpcEndpoints { get; init; } = true;

    // data
    public RedisEngine RedisEngine { get; init; } = RedisEngine.MemoryDb;
    public string? RedisNodeType { get; init; }
    public int RedisSnapshotRetentionDays { get; init; } = 7;
    public bool RetainData { get; init; } = true;

    // edge
    public string? DomainName { get; init; }
    public string? CertificateArn { get; init; }
    public string? CloudFrontCertificateArn { get; init; }
    public string? CloudFrontDomainName { get; init; }

    // identity: the hosted sign-in page's prefix (globally unique in the region)
    public string AuthDomainPrefix { get; init; } = "incidentops";

    // compute
    public int ApiMinTasks { get; init; } = 1;
    public int ApiMaxTasks { get; init; } = 10;
    /// <summary>The live hub's tasks (the API's image in the hub role), scaled on CPU and on connections per task.</summary>
    public int HubMinTasks { get; init; } = 1;
    public int HubMaxTasks { get; init; } = 10;

    /// <summary>Screens per hub task the scaling aims at (~50 KiB each, bench/README.md; a task has 1 GiB).</summary>
    public int HubConnectionsPerTask { get; init; } = 2000;
    public int AgentsMinTasks { get; init; } = 1;
    public int AgentsMaxTasks { get; init; } = 10;
    public int AgentsLagPerTask { get; init; } = 20;

    // observability
    public int LogRetentionDays { get; init; } = 30;
    public double AiHourlyBudgetUsd { get; init; } = 2.0;
    public string? AlarmEmail { get; init; }
    public bool SubscribeAlarmsToIncidentOps { get; init; } = true;

    // AI (agents task role): only what is configured is allowed
    public string AiRegion => Region ?? "us-east-1";
    public IReadOnlyList<string> BedrockModels { get; init; } =
    [
        "us.amazon.nova-micro-v1:0",
        "us.amazon.nova-lite-v1:0",
        "us.amazon.nova-pro-v1:0",
        "us.anthropic.claude-3-5-haiku-20241022-v1:0",
        "us.anthropic.claude-3-7-sonnet-20250219-v1:0",
    ];

    /// <summary>Regions a <c>us.</c> cross-region inference profile may route a call to.</summary>
    public IReadOnlyList<string> InferenceRegions { get; init; } = ["us-east-1", "us-east-2", "us-west-2"];

    public string? GuardrailId { get; init; }
    public string GuardrailVersion { get; init; } = "DRAFT";
    public string? KnowledgeBaseId { get; init; }
    public string? AgentId { get; init; }
    public string? AgentAliasId { get; init; }
    public string? QBusinessApplicationId { get; init; }
    public bool UseComprehend { get; init; } = true;
    public bool UseTextract { get; init; } = true;

    public string RedisNodeTypeOrDefault => RedisNodeType ?? (RedisEngine == RedisEngine.MemoryDb ? "db.t4g.small" : "cache.t4g.small");

    public bool HasDomain => !string.IsNullOrWhiteSpace(DomainName) && !string.IsNullOrWhiteSpace(CertificateArn);

    /// <summary>Reads the settings from the construct tree's context; a bad value fails synth with the key's name.</summary>
    public static DeploySettings FromContext(Node node)
    {
        string? Text(string key) => node.TryGetContext(key) switch
        {
            null => null,
            string s when s.Length == 0 => null,
            var v => Convert.ToString(v, CultureInfo.InvariantCulture),
        };

        int Int(string key, int fallback) => Text(key) is { } v
            ? int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : throw Bad(key, v, "a whole number")
            : fallback;

        double Number(string key, double fallback) => Text(key) is { } v
            ? double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : throw Bad(key, v, "a number")
            : fallback;

        bool Flag(string key, bool fallback) => Text(key) is { } v
            ? bool.TryParse(v, out var b) ? b : throw Bad(key, v, "true or false")
            : fallback;

        var defaults = new DeploySettings();
        var engine = Text("redisEngine")?.ToLowerInvariant() switch
        {
            null or "memorydb" => RedisEngine.MemoryDb,
            "elasticache" => RedisEngine.ElastiCache,
            var other => throw Bad("redisEngine", other, "memorydb or elasticache"),
        };

        var settings = defaults with
        {
            Prefix = Text("prefix") ?? defaults.Prefix,
            Account = Text("account") ?? Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
            Region = Text("region") ?? Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
            AspireManifest = Text("aspireManifest") ?? defaults.AspireManifest,
            ImageTag = Text("imageTag") ?? defaults.ImageTag,
            MaxAzs = Int("maxAzs", defaults.MaxAzs),
            NatGateways = Int("natGateways", defaults.NatGateways),
            VpcEndpoints = Flag("vpcEndpoints", defaults.VpcEndpoints),
            RedisEngine = engine,
            RedisNodeType = Text("redisNodeType"),
            RedisSnapshotRetentionDays = Int("redisSnapshotRetentionDays", defaults.RedisSnapshotRetentionDays),
            RetainData = Flag("retainData", defaults.RetainData),
            DomainName = Text("domainName"),
            CertificateArn = Text("certificateArn"),
            CloudFrontCertificateArn = Text("cloudFrontCertificateArn"),
            CloudFrontDomainName = Text("cloudFrontDomainName"),
            AuthDomainPrefix = Text("authDomainPrefix") ?? defaults.AuthDomainPrefix,
            ApiMinTasks = Int("apiMinTasks", defaults.ApiMinTasks),
            ApiMaxTasks = Int("apiMaxTasks", defaults.ApiMaxTasks),
            HubMinTasks = Int("hubMinTasks", defaults.HubMinTasks),
            HubMaxTasks = Int("hubMaxTasks", defaults.HubMaxTasks),
            HubConnectionsPerTask = Int("hubConnectionsPerTask", defaults.HubConnectionsPerTask),
            AgentsMinTasks = Int("agentsMinTasks", defaults.AgentsMinTasks),
            AgentsMaxTasks = Int("agentsMaxTasks", defaults.AgentsMaxTasks),
            AgentsLagPerTask = Int("agentsLagPerTask", defaults.AgentsLagPerTask),
            LogRetentionDays = Int("logRetentionDays", defaults.LogRetentionDays),
            AiHourlyBudgetUsd = Number("aiHourlyBudgetUsd", defaults.AiHourlyBudgetUsd),
            AlarmEmail = Text("alarmEmail"),
            SubscribeAlarmsToIncidentOps = Flag("subscribeAlarmsToIncidentOps", defaults.SubscribeAlarmsToIncidentOps),
            BedrockModels = Text("bedrockModels") is { } models ? Split(models) : defaults.BedrockModels,
            InferenceRegions = Text("inferenceRegions") is { } regions ? Split(regions) : defaults.InferenceRegions,
            GuardrailId = Text("guardrailId"),
            GuardrailVersion = Text("guardrailVersion") ?? defaults.GuardrailVersion,
            KnowledgeBaseId = Text("knowledgeBaseId"),
            AgentId = Text("agentId"),
            AgentAliasId = Text("agentAliasId"),
            QBusinessApplicationId = Text("qBusinessApplicationId"),
            UseComprehend = Flag("useComprehend", defaults.UseComprehend),
            UseTextract = Flag("useTextract", defaults.UseTextract),
        };
        settings.Validate();
        return settings;
    }

    public void Validate()
    {
        if (MaxAzs is < 2 or > 3)
        {
            throw Bad("maxAzs", MaxAzs, "2 or 3 (MemoryDB and the ALB need two zones)");
        }

        if (NatGateways < 0 || NatGateways > MaxAzs)
        {
            throw Bad("natGateways", NatGateways, $"0 to {MaxAzs}");
        }

        if (NatGateways == 0 && !VpcEndpoints)
        {
            throw new ArgumentException("natGateways=0 with vpcEndpoints=false leaves the tasks no way to pull images or read secrets: allow one.");
        }

        if (ApiMinTasks < 1 || ApiMaxTasks < ApiMinTasks)
        {
            throw Bad("apiMaxTasks", ApiMaxTasks, $"at least apiMinTasks ({ApiMinTasks}), which is at least 1");
        }

        if (HubMinTasks < 1 || HubMaxTasks < HubMinTasks)
        {
            throw Bad("hubMaxTasks", HubMaxTasks, $"at least hubMinTasks ({HubMinTasks}), which is at least 1");
        }

        if (HubConnectionsPerTask < 1)
        {
            throw Bad("hubConnectionsPerTask", HubConnectionsPerTask, "at least 1");
        }

        if (AgentsMinTasks < 1 || AgentsMaxTasks < AgentsMinTasks)
        {
            throw Bad("agentsMaxTasks", AgentsMaxTasks, $"at least agentsMinTasks ({AgentsMinTasks}), which is at least 1");
        }

        if (string.IsNullOrWhiteSpace(DomainName) != string.IsNullOrWhiteSpace(CertificateArn))
        {
            throw new ArgumentException("domainName and certificateArn go together: give both (HTTPS on the ALB) or neither.");
        }

        if (string.IsNullOrWhiteSpace(AgentId) != string.IsNullOrWhiteSpace(AgentAliasId))
        {
            throw new ArgumentException("agentId and agentAliasId go together: give both or neither.");
        }
    }

    private static string[] Split(string list) =>
        list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static ArgumentException Bad(string key, object value, string expected) =>
        new($"Context '{key}' is '{value}': expected {expected}.");
}
