using Amazon.CDK;
using Amazon.CDK.AWS.ApplicationAutoScaling;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.ECS;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using IncidentOps.Core;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// How each service scales, apart from the others: the API on CPU and requests (intake), the hub on CPU and on live
/// connections per task (a screen is one long-lived WebSocket, so the ALB's request count does not see a crowd arrive),
/// the agents on their work lag.
/// </summary>
public static class ServiceScaling
{
    public static void Apply(DeploySettings settings, IReadOnlyDictionary<string, FargateService> services, IReadOnlyDictionary<string, ApplicationTargetGroup> targetGroups)
    {
        var api = services[ResourceNames.Api].AutoScaleTaskCount(new EnableScalingProps { MinCapacity = settings.ApiMinTasks, MaxCapacity = settings.ApiMaxTasks });
        api.ScaleOnCpuUtilization("Cpu", new CpuUtilizationScalingProps
        {
            TargetUtilizationPercent = 60,
            ScaleOutCooldown = Duration.Seconds(60),
            ScaleInCooldown = Duration.Seconds(180),
        });
        api.ScaleOnRequestCount("Requests", new RequestCountScalingProps
        {
            RequestsPerTarget = 1000,
            TargetGroup = targetGroups[ResourceNames.Api],
            ScaleOutCooldown = Duration.Seconds(60),
            ScaleInCooldown = Duration.Seconds(180),
        });

        // Sending frames is the hub's CPU (bench/README.md, "The hub apart, session 10"); connections hold its memory.
        var hub = services[ResourceNames.Hub].AutoScaleTaskCount(new EnableScalingProps { MinCapacity = settings.HubMinTasks, MaxCapacity = settings.HubMaxTasks });
        hub.ScaleOnCpuUtilization("Cpu", new CpuUtilizationScalingProps
        {
            TargetUtilizationPercent = 60,
            ScaleOutCooldown = Duration.Seconds(60),
            ScaleInCooldown = Duration.Seconds(300),
        });
        hub.ScaleToTrackCustomMetric("Connections", new TrackCustomMetricProps
        {
            Metric = HubConnectionsPerTask(),
            TargetValue = settings.HubConnectionsPerTask,
            ScaleOutCooldown = Duration.Seconds(60),
            // Scaling in drops the connections of the stopped task (they reconnect and replay), so slowly.
            ScaleInCooldown = Duration.Seconds(300),
        });

        var agents = services[ResourceNames.Agents].AutoScaleTaskCount(new EnableScalingProps { MinCapacity = settings.AgentsMinTasks, MaxCapacity = settings.AgentsMaxTasks });
        agents.ScaleOnMetric("WorkLag", new BasicStepScalingPolicyProps
        {
            Metric = AgentsLag(),
            AdjustmentType = AdjustmentType.CHANGE_IN_CAPACITY,
            ScalingSteps =
            [
                new ScalingInterval { Upper = 0, Change = -1 },
                new ScalingInterval { Lower = settings.AgentsLagPerTask, Change = 1 },
                new ScalingInterval { Lower = settings.AgentsLagPerTask * 5, Change = 3 },
            ],
            Cooldown = Duration.Seconds(120),
        });
    }

    /// <summary>Live connections per hub task: each task's gauge (published by its collector), averaged over the tasks.</summary>
    public static Metric HubConnectionsPerTask() => ServiceMetric(Telemetry.HubConnections, ResourceNames.Hub, "Average");

    /// <summary>Work items waiting for the agents (published by the agents' collector).</summary>
    public static Metric AgentsLag() => ServiceMetric(Telemetry.AgentsWorkLag, ResourceNames.Agents, "Maximum");

    /// <summary>One of our gauges for one service, per minute.</summary>
    private static Metric ServiceMetric(string name, string service, string statistic) => new(new MetricProps
    {
        Namespace = Telemetry.Namespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { [Telemetry.ServiceDimension] = service },
        Statistic = statistic,
        Period = Duration.Minutes(1),
    });
}
