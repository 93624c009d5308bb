using System.Text.Json.Nodes;
using IncidentOps.Core;

namespace IncidentOps.Deploy.Tests;

/// <summary>
/// The live hub in AWS: a second Fargate service of the API's image, in the hub role, that the ALB sends <c>/hubs/*</c>
/// to, scaled on its own (issue 13: intake must not slow because many people watch).
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class HubServiceTests(SynthFixture fixture)
{
    private Synthesized Default => fixture.Default;

    [Fact]
    public void The_hub_runs_the_API_image_in_the_hub_role_and_the_API_in_the_api_role()
    {
        var api = Container(ResourceNames.Api);
        var hub = Container(ResourceNames.Hub);
        Assert.Equal(api["Image"]!.ToJsonString(), hub["Image"]!.ToJsonString());
        Assert.Contains("apirepository", hub["Image"]!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ApiRoles.Api, Variable(api, "Api__Role"));
        Assert.Equal(ApiRoles.Hub, Variable(hub, "Api__Role"));

        // One image, one repository: none for the hub, and the image list deploy.sh builds from has no hub either.
        var repositories = Default.Resources("AWS::ECR::Repository").Select(r => (string?)r.Resource["Properties"]!["RepositoryName"]).Order().ToList();
        Assert.Equal(["incidentops/agents", "incidentops/api", "incidentops/metrics", "incidentops/web"], repositories);

        // Intake's settings stay with the API: the hub gets no ingest token and no SNS topic.
        Assert.DoesNotContain(hub["Secrets"]?.AsArray() ?? [], s => ((string?)s!["Name"])!.StartsWith("Ingest__", StringComparison.Ordinal));
        Assert.DoesNotContain(hub["Environment"]!.AsArray(), e => ((string?)e!["Name"])!.StartsWith("Ingest__", StringComparison.Ordinal));
        Assert.Contains(api["Secrets"]!.AsArray(), s => (string?)s!["Name"] == "Ingest__Tokens__Events");
    }

    [Fact]
    public void The_ALB_sends_hubs_to_the_hub_target_group_and_api_and_dashboard_to_the_API()
    {
        var rules = Default.Resources("AWS::ElasticLoadBalancingV2::ListenerRule").Select(r => r.Resource["Properties"]!).ToList();
        string Target(string paths) => rules
            .Single(r => string.Join(',', r["Conditions"]!.AsArray().Where(c => (string?)c!["Field"] == "path-pattern")
                .SelectMany(c => c!["PathPatternConfig"]!["Values"]!.AsArray()).Select(v => (string?)v)) == paths)["Actions"]![0]!["TargetGroupArn"]!["Ref"]!.ToString();

        Assert.StartsWith("hubtargets", Target("/hubs/*"), StringComparison.Ordinal);
        Assert.StartsWith("apitargets", Target("/api/*,/dashboard/*"), StringComparison.Ordinal);

        // The hub's tasks register in the hub's target group only.
        var hubService = Default.Resources("AWS::ECS::Service").Single(s => (string?)s.Resource["Properties"]!["ServiceName"] == "incidentops-hub").Resource["Properties"]!;
        Assert.Equal(["hubtargets"], hubService["LoadBalancers"]!.AsArray().Select(l => l!["TargetGroupArn"]!["Ref"]!.ToString()[.."hubtargets".Length]).ToList());
    }

    [Fact]
    public void The_hub_scales_on_its_own_on_CPU_and_on_connections_per_task()
    {
        var target = Default.Resources("AWS::ApplicationAutoScaling::ScalableTarget").Single(t => t.Id.StartsWith("hubservice", StringComparison.Ordinal));
        Assert.Equal(Default.Settings.HubMinTasks, (int)target.Resource["Properties"]!["MinCapacity"]!);
        Assert.Equal(Default.Settings.HubMaxTasks, (int)target.Resource["Properties"]!["MaxCapacity"]!);

        var policies = Default.Resources("AWS::ApplicationAutoScaling::ScalingPolicy")
            .Where(p => p.Id.StartsWith("hubservice", StringComparison.Ordinal))
            .Select(p => p.Resource["Properties"]!["TargetTrackingScalingPolicyConfiguration"]!).ToList();
        Assert.Equal(2, policies.Count);
        Assert.Contains(policies, p => (string?)p["PredefinedMetricSpecification"]?["PredefinedMetricType"] == "ECSServiceAverageCPUUtilization");

        // Connections per task: each task's gauge, averaged, against the configured target.
        var connections = policies.Single(p => p["CustomizedMetricSpecification"] is not null);
        var metric = connections["CustomizedMetricSpecification"]!;
        Assert.Equal("incidentops.hub.connections", (string?)metric["MetricName"]);
        Assert.Equal("IncidentOps", (string?)metric["Namespace"]);
        Assert.Equal("Average", (string?)metric["Statistic"]);
        Assert.Equal([("service.name", ResourceNames.Hub)],
            metric["Dimensions"]!.AsArray().Select(d => ((string)d!["Name"]!, (string)d["Value"]!)).ToList());
        Assert.Equal(Default.Settings.HubConnectionsPerTask, (int)connections["TargetValue"]!);
    }

    private JsonObject Container(string service) =>
        Default.Resources("AWS::ECS::TaskDefinition")
            .Single(t => (string?)t.Resource["Properties"]!["Family"] == $"incidentops-{service}")
            .Resource["Properties"]!["ContainerDefinitions"]!.AsArray()
            .Single(c => (string?)c!["Name"] == service)!.AsObject();

    private static string? Variable(JsonObject container, string name) =>
        (string?)container["Environment"]!.AsArray().SingleOrDefault(e => (string?)e!["Name"] == name)?["Value"];
}
