using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;

namespace IncidentOps.Deploy.Tests;

/// <summary>Least privilege, secrets out of plain environment, encryption and log retention, in every template.</summary>
[Collection(SynthCollection.Name)]
public sealed class SecurityTests(SynthFixture fixture)
{
    public static TheoryData<string> Deployments => new() { "default", "variant" };

    private Synthesized Of(string deployment) => deployment == "default" ? fixture.Default : fixture.Variant;

    [Theory]
    [MemberData(nameof(Deployments))]
    public void No_policy_allows_every_action_on_every_resource(string deployment)
    {
        var statements = Statements(Of(deployment)).ToList();
        Assert.NotEmpty(statements);
        foreach (var (where, statement) in statements)
        {
            var actions = List(statement["Action"]);
            Assert.False(actions.Contains("*"), $"{where}: every action allowed: {statement.ToJsonString()}");
            Assert.False(actions.Count == 0, $"{where}: a statement with no action");

            // A service-wide wildcard appears only in a KMS key's own policy, for the account (CDK's key administration default).
            if (actions.Any(a => a.EndsWith(":*", StringComparison.Ordinal)))
            {
                Assert.Equal(["kms:*"], actions);
                Assert.Contains(":root", statement["Principal"]!.ToJsonString(), StringComparison.Ordinal);
            }
        }

        foreach (var (_, roleStatements) in TaskRoleStatements(Of(deployment)))
        {
            Assert.All(roleStatements, s => Assert.DoesNotContain(List(s["Action"]), a => a.Contains('*', StringComparison.Ordinal)));
        }
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Only_the_agents_task_role_may_call_AI_services_and_Bedrock_only_on_configured_ARNs(string deployment)
    {
        var synthesized = Of(deployment);
        var roles = TaskRoleStatements(synthesized);
        Assert.Equal(["agents", "api", "hub", "metrics", "web"], roles.Keys.Order().ToList());
        foreach (var (role, statements) in roles)
        {
            var actions = statements.SelectMany(s => List(s["Action"])).ToList();
            var ai = actions.Where(a => a.Split(':')[0] is "bedrock" or "comprehend" or "textract" or "qbusiness").ToList();
            if (role != "agents")
            {
                Assert.Empty(ai);
            }

            foreach (var statement in statements.Where(s => List(s["Action"]).Any(a => a.StartsWith("bedrock:", StringComparison.Ordinal) || a.StartsWith("qbusiness:", StringComparison.Ordinal))))
            {
                var resources = statement["Resource"]!.ToJsonString();
                Assert.DoesNotContain("\"*\"", resources, StringComparison.Ordinal);
            }

            // Whatever takes "*" is an API that has no resource-level permissions, and only its read or write-telemetry calls.
            foreach (var statement in statements.Where(s => s["Resource"]!.ToJsonString() == "\"*\""))
            {
                Assert.All(List(statement["Action"]), a => Assert.Contains(a, new[]
                {
                    "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
                    "comprehend:DetectSentiment", "comprehend:DetectPiiEntities", "textract:DetectDocumentText",
                }));
            }
        }

        var agents = roles["agents"].SelectMany(s => List(s["Action"])).ToHashSet();
        Assert.Contains("bedrock:InvokeModel", agents);
        if (deployment == "variant")
        {
            Assert.Contains("bedrock:ApplyGuardrail", agents);
            Assert.Contains("bedrock:Retrieve", agents);
            Assert.Contains("bedrock:InvokeAgent", agents);
            Assert.Contains("qbusiness:ChatSync", agents);
            Assert.DoesNotContain("textract:DetectDocumentText", agents); // useTextract=false
            var text = string.Join('\n', roles["agents"].Select(s => s.ToJsonString()));
            Assert.Contains("guardrail/gr-abc123", text, StringComparison.Ordinal);
            Assert.Contains("knowledge-base/KB12345678", text, StringComparison.Ordinal);
            Assert.Contains("agent-alias/AGENT12345/ALIAS12345", text, StringComparison.Ordinal);
        }
        else
        {
            Assert.DoesNotContain("bedrock:ApplyGuardrail", agents);
            Assert.DoesNotContain("bedrock:Retrieve", agents);
            Assert.DoesNotContain("qbusiness:ChatSync", agents);
        }
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void No_secret_is_a_plain_environment_variable(string deployment)
    {
        var synthesized = Of(deployment);
        foreach (var (_, id, task) in synthesized.Resources("AWS::ECS::TaskDefinition"))
        {
            foreach (var container in task["Properties"]!["ContainerDefinitions"]!.AsArray())
            {
                foreach (var variable in container!["Environment"]?.AsArray() ?? [])
                {
                    var name = (string)variable!["Name"]!;
                    var value = variable["Value"]!.ToJsonString();
                    Assert.False(new[] { "PASSWORD", "SECRET", "TOKEN", "ConnectionStrings" }.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)),
                        $"{id}: {name} is plain environment");
                    Assert.DoesNotContain("resolve:secretsmanager", value, StringComparison.Ordinal);
                }
            }
        }

        var api = Container(synthesized, "api");
        var secrets = api["Secrets"]!.AsArray().Select(s => (string?)s!["Name"]).Order().ToList();
        Assert.Equal(["ConnectionStrings__redis", "Ingest__Tokens__Alertmanager", "Ingest__Tokens__CloudWatch", "Ingest__Tokens__Events", "Ingest__Tokens__Grafana"], secrets);
        Assert.Equal(["AUTH_CLIENT_SECRET", "NEXTAUTH_SECRET"],
            Container(synthesized, "web")["Secrets"]!.AsArray().Select(s => (string?)s!["Name"]).Order().ToList());
        Assert.Contains(Container(synthesized, "agents")["Secrets"]!.AsArray(), s => (string?)s!["Name"] == "ConnectionStrings__redis");
    }

    [Theory]
    [MemberData(nameof(Deployments))]
    public void Data_at_rest_is_encrypted_and_every_log_group_has_a_retention(string deployment)
    {
        var synthesized = Of(deployment);
        synthesized.Template("Observability").HasResourceProperties("AWS::SNS::Topic", Match.ObjectLike(new Dictionary<string, object> { ["KmsMasterKeyId"] = Match.AnyValue() }));
        synthesized.Template("Registry").AllResourcesProperties("AWS::ECR::Repository", Match.ObjectLike(new Dictionary<string, object>
        {
            ["EncryptionConfiguration"] = new Dictionary<string, object> { ["EncryptionType"] = "KMS" },
            ["ImageScanningConfiguration"] = new Dictionary<string, object> { ["ScanOnPush"] = true },
        }));
        foreach (var (_, id, key) in synthesized.Resources("AWS::KMS::Key"))
        {
            Assert.True((bool)key["Properties"]!["EnableKeyRotation"]!, $"{id} does not rotate");
        }

        var logGroups = synthesized.Resources("AWS::Logs::LogGroup").ToList();
        Assert.Equal(6, logGroups.Count);
        var expected = synthesized.Settings.LogRetentionDays;
        Assert.All(logGroups, g => Assert.Equal(expected, (int)g.Resource["Properties"]!["RetentionInDays"]!));
    }

    [Fact]
    public void The_ALB_reaches_only_the_API_the_hub_and_the_web_app_and_Redis_only_the_tasks()
    {
        var ingress = fixture.Default.Resources("AWS::EC2::SecurityGroupIngress").Select(r => (r.Stack, r.Id, r.Resource["Properties"]!)).ToList();
        var fromAlb = ingress.Where(r => r.Item3["SourceSecurityGroupId"]!.ToJsonString().Contains("AlbSecurityGroup", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            [("api", 8080), ("hub", 8080), ("web", 3000)],
            fromAlb.Select(r => (r.Item3["GroupId"]!["Fn::GetAtt"]![0]!.ToString() is var g && new[] { "api", "hub", "web" }.FirstOrDefault(s => g.StartsWith(s, StringComparison.Ordinal)) is { } service ? service : g,
                (int)r.Item3["FromPort"]!)).Order().ToList());

        // Redis: from the services the AppHost connects to it (not the web app), on 6379 only.
        var toRedis = ingress.Where(r => r.Item3["GroupId"]!.ToJsonString().Contains("RedisFF642DF2", StringComparison.Ordinal)
                                         || r.Item3["GroupId"]!.ToJsonString().Contains("IncidentOps-Data", StringComparison.Ordinal)).ToList();
        Assert.Equal(["agents", "api", "hub", "metrics"], toRedis.Select(r => r.Item3["SourceSecurityGroupId"]!["Fn::GetAtt"]![0]!.ToString().Replace("group", string.Empty, StringComparison.Ordinal)[..^8]).Order().ToList());
        Assert.All(toRedis, r => Assert.Equal((6379, 6379), ((int)r.Item3["FromPort"]!, (int)r.Item3["ToPort"]!)));
    }

    [Fact]
    public void The_NET_services_run_as_a_non_root_user_on_a_read_only_file_system()
    {
        foreach (var service in new[] { "api", "hub", "agents", "metrics" })
        {
            var container = Container(fixture.Default, service);
            Assert.True((bool)container["ReadonlyRootFilesystem"]!, $"{service} root file system is writable");
            Assert.Equal("1654", (string?)container["User"]);
            Assert.Contains(container["MountPoints"]!.AsArray(), m => (string?)m!["ContainerPath"] == "/tmp");
        }

        Assert.Equal("1000", (string?)Container(fixture.Default, "web")["User"]);
    }

    [Fact]
    public void The_variant_puts_Redis_on_ElastiCache_with_TLS_AUTH_and_failover_and_the_ALB_on_HTTPS()
    {
        var data = fixture.Variant.Template("Data");
        data.ResourceCountIs("AWS::MemoryDB::Cluster", 0);
        data.HasResourceProperties("AWS::ElastiCache::ReplicationGroup", Match.ObjectLike(new Dictionary<string, object>
        {
            ["TransitEncryptionEnabled"] = true,
            ["AtRestEncryptionEnabled"] = true,
            ["MultiAZEnabled"] = true,
            ["AutomaticFailoverEnabled"] = true,
            ["NumCacheClusters"] = 2,
            ["KmsKeyId"] = Match.AnyValue(),
        }));
        var authToken = fixture.Variant.Resources("AWS::ElastiCache::ReplicationGroup").Single().Resource["Properties"]!["AuthToken"]!.ToJsonString();
        Assert.Contains("resolve:secretsmanager", authToken, StringComparison.Ordinal);

        var edge = fixture.Variant.Template("Edge");
        edge.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Port"] = 443,
            ["Protocol"] = "HTTPS",
            ["Certificates"] = new[] { new Dictionary<string, object> { ["CertificateArn"] = SynthFixture.VariantContext["certificateArn"] } },
        }));
        edge.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Port"] = 80,
            ["DefaultActions"] = new[] { Match.ObjectLike(new Dictionary<string, object> { ["Type"] = "redirect" }) },
        }));

        // No NAT: private isolated subnets in three zones, and the endpoints of every configured AI service.
        var network = fixture.Variant.Template("Network");
        network.ResourceCountIs("AWS::EC2::NatGateway", 0);
        network.ResourceCountIs("AWS::EC2::Subnet", 6);
        var endpoints = fixture.Variant.Resources("AWS::EC2::VPCEndpoint").Select(e => e.Resource["Properties"]!["ServiceName"]!.ToJsonString()).ToList();
        Assert.Contains(endpoints, e => e.Contains("bedrock-agent-runtime", StringComparison.Ordinal));
        Assert.Contains(endpoints, e => e.Contains("qbusiness", StringComparison.Ordinal));
        Assert.DoesNotContain(endpoints, e => e.Contains("textract", StringComparison.Ordinal));
    }

    private static JsonObject Container(Synthesized synthesized, string service) =>
        synthesized.Resources("AWS::ECS::TaskDefinition")
            .Single(t => (string?)t.Resource["Properties"]!["Family"] == $"incidentops-{service}")
            .Resource["Properties"]!["ContainerDefinitions"]!.AsArray()
            .Single(c => (string?)c!["Name"] == service)!.AsObject();

    private static IEnumerable<(string Where, JsonObject Statement)> Statements(Synthesized synthesized) =>
        synthesized.Resources("AWS::IAM::Policy").Concat(synthesized.Resources("AWS::KMS::Key")).Concat(synthesized.Resources("AWS::IAM::Role"))
            .SelectMany(r => PolicyDocuments(r.Resource).SelectMany(d => d["Statement"]!.AsArray()).Select(s => ($"{r.Stack}/{r.Id}", s!.AsObject())));

    private static IEnumerable<JsonNode> PolicyDocuments(JsonObject resource)
    {
        var properties = resource["Properties"]!;
        if (properties["PolicyDocument"] is { } document)
        {
            yield return document;
        }

        if (properties["KeyPolicy"] is { } keyPolicy)
        {
            yield return keyPolicy;
        }

        foreach (var inline in properties["Policies"]?.AsArray() ?? [])
        {
            yield return inline!["PolicyDocument"]!;
        }
    }

    /// <summary>The statements of the policies attached to each service's task role, by service.</summary>
    private static Dictionary<string, List<JsonObject>> TaskRoleStatements(Synthesized synthesized)
    {
        var roles = synthesized.Resources("AWS::IAM::Role")
            .Where(r => r.Id.Contains("taskrole", StringComparison.Ordinal))
            .ToDictionary(r => r.Id, r => r.Id[..r.Id.IndexOf("taskrole", StringComparison.Ordinal)]);
        var result = roles.Values.ToDictionary(v => v, _ => new List<JsonObject>());
        foreach (var (_, _, policy) in synthesized.Resources("AWS::IAM::Policy"))
        {
            foreach (var role in policy["Properties"]!["Roles"]!.AsArray())
            {
                if (roles.TryGetValue((string?)role!["Ref"] ?? string.Empty, out var service))
                {
                    result[service].AddRange(policy["Properties"]!["PolicyDocument"]!["Statement"]!.AsArray().Select(s => s!.AsObject()));
                }
            }
        }

        return result;
    }

    private static List<string> List(JsonNode? node) => node switch
    {
        JsonArray array => array.Select(a => (string)a!).ToList(),
        JsonValue value => [(string)value!],
        _ => [],
    };
}
