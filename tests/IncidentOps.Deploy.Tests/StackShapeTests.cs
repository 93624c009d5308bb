using System.Text.Json.Nodes;
using Amazon.CDK.Assertions;
using IncidentOps.Core;

namespace IncidentOps.Deploy.Tests;

/// <summary>What the default deployment is made of: counts, ports, health checks, scaling bounds, routes.</summary>
[Collection(SynthCollection.Name)]
public sealed class StackShapeTests(SynthFixture fixture)
{
    private Synthesized Default => fixture.Default;

    [Fact]
    public void Every_stack_is_synthesized()
    {
        Assert.Equal(
            ["IncidentOps-Network", "IncidentOps-Registry", "IncidentOps-Data", "IncidentOps-Secrets", "IncidentOps-Edge",
             "IncidentOps-Identity", "IncidentOps-Observability", "IncidentOps-Compute"],
            Default.StackNames);
    }

    [Fact]
    public void Compute_has_one_Fargate_service_per_AppHost_service_with_rolling_deploys_that_roll_back()
    {
        var compute = Default.Template("Compute");
        compute.ResourceCountIs("AWS::ECS::Cluster", 1);
        compute.ResourceCountIs("AWS::ECS::Service", 5);
        compute.ResourceCountIs("AWS::ECS::TaskDefinition", 5);
        foreach (var name in new[] { ResourceNames.Api, ResourceNames.Hub, ResourceNames.Agents, ResourceNames.Metrics, ResourceNames.Web })
        {
            compute.HasResourceProperties("AWS::ECS::Service", Match.ObjectLike(new Dictionary<string, object>
            {
                ["ServiceName"] = $"incidentops-{name}",
                ["LaunchType"] = "FARGATE",
                ["DeploymentConfiguration"] = new Dictionary<string, object>
                {
                    ["DeploymentCircuitBreaker"] = new Dictionary<string, object> { ["Enable"] = true, ["Rollback"] = true },
                    ["MinimumHealthyPercent"] = 100,
                    ["MaximumPercent"] = 200,
                },
                ["NetworkConfiguration"] = new Dictionary<string, object>
                {
                    ["AwsvpcConfiguration"] = Match.ObjectLike(new Dictionary<string, object> { ["AssignPublicIp"] = "DISABLED" }),
                },
            }));
        }

        // The metrics worker is one task.
        compute.HasResourceProperties("AWS::ECS::Service", Match.ObjectLike(new Dictionary<string, object>
        {
            ["ServiceName"] = "incidentops-metrics",
            ["DesiredCount"] = 1,
        }));
    }

    [Fact]
    public void The_API_and_hub_target_groups_check_dashboard_health_on_8080_and_only_the_hub_keeps_a_client_on_one_task()
    {
        var compute = Default.Template("Compute");
        compute.ResourceCountIs("AWS::ElasticLoadBalancingV2::TargetGroup", 3);
        var groups = Default.Resources("AWS::ElasticLoadBalancingV2::TargetGroup").ToDictionary(g => g.Id[..g.Id.IndexOf("targets", StringComparison.Ordinal)], g => g.Resource["Properties"]!);
        foreach (var service in new[] { ResourceNames.Api, ResourceNames.Hub })
        {
            Assert.Equal(8080, (int)groups[service]["Port"]!);
            Assert.Equal("HTTP", (string?)groups[service]["Protocol"]);
            Assert.Equal("ip", (string?)groups[service]["TargetType"]);
            Assert.Equal("/dashboard/health", (string?)groups[service]["HealthCheckPath"]);
        }

        // SignalR's negotiate and the WebSocket that follows must reach the same hub task; intake needs no stickiness.
        string? Attribute(JsonNode group, string key) =>
            (string?)group["TargetGroupAttributes"]?.AsArray().FirstOrDefault(a => (string?)a!["Key"] == key)?["Value"];
        Assert.Equal("true", Attribute(groups[ResourceNames.Hub], "stickiness.enabled"));
        Assert.Equal("lb_cookie", Attribute(groups[ResourceNames.Hub], "stickiness.type"));
        Assert.NotEqual("true", Attribute(groups[ResourceNames.Api], "stickiness.enabled"));

        Assert.Equal(ResourceNames.WebPort, (int)groups[ResourceNames.Web]["Port"]!);
        Assert.Equal("/", (string?)groups[ResourceNames.Web]["HealthCheckPath"]);
    }

    [Fact]
    public void The_ALB_keeps_WebSockets_open_and_serves_only_CloudFront()
    {
        var edge = Default.Template("Edge");
        edge.ResourceCountIs("AWS::ElasticLoadBalancingV2::LoadBalancer", 1);
        edge.HasResourceProperties("AWS::ElasticLoadBalancingV2::LoadBalancer", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Scheme"] = "internet-facing",
            ["LoadBalancerAttributes"] = Match.ArrayWith([new Dictionary<string, object> { ["Key"] = "idle_timeout.timeout_seconds", ["Value"] = "120" }]),
        }));

        // Without the secret header, nothing but a 403.
        edge.HasResourceProperties("AWS::ElasticLoadBalancingV2::Listener", Match.ObjectLike(new Dictionary<string, object>
        {
            ["Port"] = 80,
            ["DefaultActions"] = Match.ArrayWith([Match.ObjectLike(new Dictionary<string, object> { ["Type"] = "fixed-response" })]),
        }));

        var rules = Default.Resources("AWS::ElasticLoadBalancingV2::ListenerRule").Select(r => r.Resource["Properties"]!).ToList();
        Assert.Equal(4, rules.Count);
        Assert.All(rules, rule => Assert.Contains(rule["Conditions"]!.AsArray(),
            c => (string?)c!["Field"] == "http-header" && (string?)c["HttpHeaderConfig"]!["HttpHeaderName"] == "X-Origin-Verify"));

        // next-auth's /api/auth/* reaches the web app before the API's /api/* rule sees it.
        var byPath = rules.ToDictionary(
            r => string.Join(',', r["Conditions"]!.AsArray().Where(c => (string?)c!["Field"] == "path-pattern")
                .SelectMany(c => c!["PathPatternConfig"]!["Values"]!.AsArray()).Select(v => (string?)v)),
            r => (int)r["Priority"]!);
        Assert.True(byPath["/api/auth/*"] < byPath["/api/*,/dashboard/*"]);
        Assert.True(byPath["/api/*,/dashboard/*"] < byPath["/*"]);
        Assert.True(byPath["/hubs/*"] < byPath["/*"]);
    }

    [Fact]
    public void CloudFront_is_one_origin_for_the_web_app_the_API_and_the_hubs()
    {
        var edge = Default.Template("Edge");
        edge.ResourceCountIs("AWS::CloudFront::Distribution", 1);
        var config = Default.Resources("AWS::CloudFront::Distribution").Single().Resource["Properties"]!["DistributionConfig"]!;
        Assert.Single(config["Origins"]!.AsArray());
        var origin = config["Origins"]![0]!;
        Assert.Equal("http-only", (string?)origin["CustomOriginConfig"]!["OriginProtocolPolicy"]);
        Assert.Contains(origin["OriginCustomHeaders"]!.AsArray(), h => (string?)h!["HeaderName"] == "X-Origin-Verify");

        var paths = config["CacheBehaviors"]!.AsArray().Select(b => (string?)b!["PathPattern"]).ToList();
        Assert.Equal(["/api/auth/*", "/api/*", "/hubs/*", "/_next/static/*"], paths);
        foreach (var behavior in config["CacheBehaviors"]!.AsArray().Append(config["DefaultCacheBehavior"]))
        {
            Assert.Equal("redirect-to-https", (string?)behavior!["ViewerProtocolPolicy"]);
        }

        // API and hubs: every method, nothing cached.
        var api = config["CacheBehaviors"]!.AsArray().Single(b => (string?)b!["PathPattern"] == "/api/*")!;
        Assert.Contains("POST", api["AllowedMethods"]!.AsArray().Select(m => (string?)m));
        Assert.Equal("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", (string?)api["CachePolicyId"]); // Managed-CachingDisabled
    }

    [Fact]
    public void API_scales_1_to_10_on_CPU_and_requests_the_hub_on_CPU_and_connections_and_agents_on_the_work_lag()
    {
        var compute = Default.Template("Compute");
        compute.ResourceCountIs("AWS::ApplicationAutoScaling::ScalableTarget", 3);
        foreach (var service in new[] { "api", "hub", "agents" })
        {
            var target = Default.Resources("AWS::ApplicationAutoScaling::ScalableTarget")
                .Single(t => t.Id.StartsWith($"{service}service", StringComparison.Ordinal)).Resource["Properties"]!;
            Assert.Equal(1, (int)target["MinCapacity"]!);
            Assert.Equal(10, (int)target["MaxCapacity"]!);
        }

        var policies = Default.Resources("AWS::ApplicationAutoScaling::ScalingPolicy").Select(p => p.Resource["Properties"]!).ToList();
        var tracked = policies.Where(p => (string?)p["PolicyType"] == "TargetTrackingScaling")
            .Select(p => p["TargetTrackingScalingPolicyConfiguration"]!)
            .Select(c => (string?)c["PredefinedMetricSpecification"]?["PredefinedMetricType"] ?? (string?)c["CustomizedMetricSpecification"]!["MetricName"]).ToList();
        Assert.Equal(["ALBRequestCountPerTarget", "ECSServiceAverageCPUUtilization", "ECSServiceAverageCPUUtilization", "incidentops.hub.connections"], tracked.Order(StringComparer.Ordinal).ToList());

        // Step scaling on the lag: the alarms behind it watch the metric the agents' collector publishes.
        var lagAlarms = Default.Resources("AWS::CloudWatch::Alarm").Where(a => a.Stack == "Compute").Select(a => a.Resource["Properties"]!).ToList();
        Assert.Equal(2, lagAlarms.Count);
        Assert.All(lagAlarms, a =>
        {
            Assert.Equal("IncidentOps", (string?)a["Namespace"]);
            Assert.Equal("incidentops.agents.work.lag", (string?)a["MetricName"]);
        });
    }

    [Fact]
    public void Redis_is_MemoryDB_with_TLS_ACL_replicas_snapshots_and_a_customer_key()
    {
        var data = Default.Template("Data");
        data.ResourceCountIs("AWS::MemoryDB::Cluster", 1);
        data.HasResourceProperties("AWS::MemoryDB::Cluster", Match.ObjectLike(new Dictionary<string, object>
        {
            ["TLSEnabled"] = true,
            ["ACLName"] = "incidentops",
            ["NumReplicasPerShard"] = 1,
            ["SnapshotRetentionLimit"] = 7,
            ["KmsKeyId"] = Match.AnyValue(),
        }));
        data.HasResourceProperties("AWS::MemoryDB::User", Match.ObjectLike(new Dictionary<string, object>
        {
            ["AuthenticationMode"] = Match.ObjectLike(new Dictionary<string, object> { ["Type"] = "password" }),
        }));
        data.HasResource("AWS::MemoryDB::Cluster", Match.ObjectLike(new Dictionary<string, object> { ["DeletionPolicy"] = "Retain" }));
    }

    [Fact]
    public void The_network_spans_two_zones_with_private_task_subnets_and_endpoints_for_the_AWS_APIs()
    {
        var network = Default.Template("Network");
        network.ResourceCountIs("AWS::EC2::Subnet", 4);
        network.ResourceCountIs("AWS::EC2::NatGateway", 1);
        var endpoints = Default.Resources("AWS::EC2::VPCEndpoint")
            .Select(e => e.Resource["Properties"]!["ServiceName"]!.ToJsonString()).ToList();
        foreach (var service in new[] { "ecr.api", "ecr.dkr", "logs", "secretsmanager", "bedrock-runtime", "s3" })
        {
            Assert.Contains(endpoints, e => e.Contains($".{service}", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Cognito_has_the_four_roles_and_a_code_flow_client_for_the_web_app_whose_secret_is_in_Secrets_Manager()
    {
        var identity = Default.Template("Identity");
        var groups = Default.Resources("AWS::Cognito::UserPoolGroup").Select(g => (string?)g.Resource["Properties"]!["GroupName"]).Order().ToList();
        Assert.Equal(["admin", "approver", "responder", "viewer"], groups);
        identity.HasResourceProperties("AWS::Cognito::UserPoolClient", Match.ObjectLike(new Dictionary<string, object>
        {
            ["AllowedOAuthFlows"] = new[] { "code" },
            ["AllowedOAuthFlowsUserPoolClient"] = true,
            ["GenerateSecret"] = true,
            ["AllowedOAuthScopes"] = Match.ArrayWith(["openid"]),
        }));
        var client = Default.Resources("AWS::Cognito::UserPoolClient").Single().Resource["Properties"]!;
        Assert.Contains("/api/auth/callback/incidentops", client["CallbackURLs"]!.ToJsonString(), StringComparison.Ordinal);
        identity.ResourceCountIs("AWS::SecretsManager::Secret", 1);
        identity.HasResourceProperties("AWS::Cognito::UserPool", Match.ObjectLike(new Dictionary<string, object>
        {
            ["AdminCreateUserConfig"] = new Dictionary<string, object> { ["AllowAdminCreateUserOnly"] = true },
        }));
    }

    [Fact]
    public void Every_service_gets_the_sign_in_settings_by_the_names_the_sign_in_work_reads()
    {
        foreach (var (_, id, task) in Default.Resources("AWS::ECS::TaskDefinition"))
        {
            var app = task["Properties"]!["ContainerDefinitions"]!.AsArray().First(c => (string?)c!["Name"] != "otel-collector")!;
            var names = app["Environment"]!.AsArray().Select(e => (string?)e!["Name"]).ToList();
            Assert.True(new[] { "Auth__Authority", "Auth__ClientId", "Auth__Audience" }.All(names.Contains), $"{id} lacks the Auth__ settings: {string.Join(", ", names)}");
        }
    }

    [Fact]
    public void The_dashboard_shows_the_seven_signals_and_four_alarms_notify_the_topic()
    {
        var observability = Default.Template("Observability");
        observability.ResourceCountIs("AWS::CloudWatch::Dashboard", 1);
        var body = Default.Resources("AWS::CloudWatch::Dashboard").Single().Resource["Properties"]!["DashboardBody"]!.ToJsonString();
        foreach (var metric in new[] { "incidentops.alerts.ingested", "HTTPCode_Target_5XX_Count", "TargetResponseTime", "incidentops.agents.work.lag",
                     "incidentops.hub.connections", "DatabaseMemoryUsagePercentage", "incidentops.ai.cost" })
        {
            Assert.Contains(metric, body, StringComparison.Ordinal);
        }

        var alarms = Default.Resources("AWS::CloudWatch::Alarm").Where(a => a.Stack == "Observability").Select(a => a.Resource["Properties"]!).ToList();
        Assert.Equal(["IncidentOps-AgentsLag", "IncidentOps-AiBudget", "IncidentOps-ErrorRate", "IncidentOps-RedisMemory"],
            alarms.Select(a => (string?)a["AlarmName"]).Order().ToList());
        Assert.All(alarms, a => Assert.NotEmpty(a["AlarmActions"]!.AsArray()));

        // IncidentOps's own CloudWatch endpoint is subscribed, token from Secrets Manager.
        observability.HasResourceProperties("AWS::SNS::Subscription", Match.ObjectLike(new Dictionary<string, object> { ["Protocol"] = "https" }));
        var endpoint = Default.Resources("AWS::SNS::Subscription").Single().Resource["Properties"]!["Endpoint"]!.ToJsonString();
        Assert.Contains("/api/v1/alerts/cloudwatch/", endpoint, StringComparison.Ordinal);
        Assert.Contains("resolve:secretsmanager", endpoint, StringComparison.Ordinal);
    }
}
