using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.ElasticLoadBalancingV2;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.KMS;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SNS.Subscriptions;
using Constructs;
using IncidentOps.Core;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// One CloudWatch dashboard (ingest rate, 5xx, p99 latency, agents lag, hub connections, Redis memory, AI cost per hour)
/// and the alarms that page: 5xx rate, agents lag, Redis memory, AI budget. Alarms go to an SNS topic that IncidentOps's
/// own CloudWatch endpoint subscribes to, so IncidentOps opens an incident about itself (and an e-mail, if given).
/// </summary>
public sealed class ObservabilityStack : Stack
{
    public const string DashboardName = "IncidentOps";

    /// <summary>The API's SNS endpoint (IncidentOps.Api/Apis/CloudWatchApi.cs); the token travels in the path.</summary>
    public const string AlertsPath = "/api/v1/alerts/cloudwatch/";

    public Topic Alarms { get; }

    public ObservabilityStack(Construct scope, string id, DeploySettings settings, DataStack data, SecretsStack secrets, EdgeStack edge, IStackProps props)
        : base(scope, id, props)
    {
        // CloudWatch cannot publish to a topic under the AWS-managed SNS key: a key of our own that lets it.
        var key = new Key(this, "AlarmsKey", new KeyProps { Description = "IncidentOps alarm topic", EnableKeyRotation = true });
        key.AddToResourcePolicy(new PolicyStatement(new PolicyStatementProps
        {
            Sid = "CloudWatchAlarms",
            Principals = [new ServicePrincipal("cloudwatch.amazonaws.com")],
            Actions = ["kms:Decrypt", "kms:GenerateDataKey*"],
            Resources = ["*"],
        }));
        Alarms = new Topic(this, "AlarmTopic", new TopicProps { DisplayName = "IncidentOps alarms", MasterKey = key });

        if (settings.SubscribeAlarmsToIncidentOps)
        {
            var token = secrets.IngestTokens["CloudWatch"].SecretValue.UnsafeUnwrap();
            Alarms.AddSubscription(new UrlSubscription(edge.PublicUrl + AlertsPath + token, new UrlSubscriptionProps { Protocol = SubscriptionProtocol.HTTPS }));
        }

        if (settings.AlarmEmail is { } email)
        {
            Alarms.AddSubscription(new EmailSubscription(email));
        }

        var alb = edge.LoadBalancer;
        var requests = alb.Metrics.RequestCount(new MetricOptions { Period = Duration.Minutes(1), Statistic = "Sum" });
        var target5xx = alb.Metrics.HttpCodeTarget(HttpCodeTarget.TARGET_5XX_COUNT, new MetricOptions { Period = Duration.Minutes(1), Statistic = "Sum" });
        var elb5xx = alb.Metrics.HttpCodeElb(HttpCodeElb.ELB_5XX_COUNT, new MetricOptions { Period = Duration.Minutes(1), Statistic = "Sum" });
        var errorRate = new MathExpression(new MathExpressionProps
        {
            Expression = "IF(requests > 0, 100 * (target5xx + elb5xx) / requests, 0)",
            UsingMetrics = new Dictionary<string, IMetric> { ["requests"] = requests, ["target5xx"] = target5xx, ["elb5xx"] = elb5xx },
            Label = "5xx %",
            Period = Duration.Minutes(1),
        });
        var p99 = alb.Metrics.TargetResponseTime(new MetricOptions { Period = Duration.Minutes(1), Statistic = "p99" });
        var ingest = Custom(Telemetry.AlertsIngested, ResourceNames.Api, "Sum", Duration.Minutes(1));
        var lag = ServiceScaling.AgentsLag();
        var hubConnections = Custom(Telemetry.HubConnections, ResourceNames.Hub, "Sum", Duration.Minutes(1));
        var aiCostPerHour = Custom(Telemetry.AiCostUsd, ResourceNames.Agents, "Sum", Duration.Hours(1));
        var redisMemory = RedisMemory(settings, data);

        Alarm("ErrorRate", errorRate, 5, 3, "More than 5% of requests failed with a 5xx for 3 minutes");
        Alarm("AgentsLag", lag, settings.AgentsLagPerTask * settings.AgentsMaxTasks, 10, "The agents are not keeping up with agents:work for 10 minutes at full scale");
        Alarm("RedisMemory", redisMemory, 80, 5, "Redis memory above 80% for 5 minutes: events and incidents may soon be refused");
        Alarm("AiBudget", aiCostPerHour, settings.AiHourlyBudgetUsd, 1, $"AI spend over the hourly budget of {settings.AiHourlyBudgetUsd} USD");

        var dashboard = new Dashboard(this, "Dashboard", new DashboardProps { DashboardName = DashboardName, DefaultInterval = Duration.Hours(3) });
        dashboard.AddWidgets(
            Graph("Alerts ingested / min", ingest),
            Graph("5xx (target and ALB) / min", target5xx, elb5xx),
            Graph("p99 latency (s)", p99));
        dashboard.AddWidgets(
            Graph("agents:work lag", lag),
            Graph("Hub connections", hubConnections),
            Graph("Redis memory %", redisMemory),
            Graph("AI cost (USD / hour)", aiCostPerHour));

        new CfnOutput(this, "DashboardUrl", new CfnOutputProps
        {
            Value = $"https://{Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region={Aws.REGION}#dashboards:name={DashboardName}",
        });
        new CfnOutput(this, "AlarmTopicArn", new CfnOutputProps { Value = Alarms.TopicArn });
    }

    private void Alarm(string id, IMetric metric, double threshold, int minutes, string description)
    {
        var alarm = new Alarm(this, id, new AlarmProps
        {
            AlarmName = $"IncidentOps-{id}",
            AlarmDescription = description,
            Metric = metric,
            Threshold = threshold,
            EvaluationPeriods = minutes,
            DatapointsToAlarm = minutes,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        alarm.AddAlarmAction(new SnsAction(Alarms));
        alarm.AddOkAction(new SnsAction(Alarms));
    }

    private static GraphWidget Graph(string title, params IMetric[] metrics) =>
        new(new GraphWidgetProps { Title = title, Left = metrics, Width = 8 });

    private static Metric Custom(string name, string service, string statistic, Duration period) => new(new MetricProps
    {
        Namespace = Telemetry.Namespace,
        MetricName = name,
        DimensionsMap = new Dictionary<string, string> { [Telemetry.ServiceDimension] = service },
        Statistic = statistic,
        Period = period,
    });

    private static Metric RedisMemory(DeploySettings settings, DataStack data) => settings.RedisEngine == RedisEngine.MemoryDb
        ? new Metric(new MetricProps
        {
            Namespace = "AWS/MemoryDB",
            MetricName = "DatabaseMemoryUsagePercentage",
            DimensionsMap = new Dictionary<string, string> { ["ClusterName"] = data.RedisName },
            Statistic = "Maximum",
            Period = Duration.Minutes(1),
        })
        : new Metric(new MetricProps
        {
            Namespace = "AWS/ElastiCache",
            MetricName = "DatabaseMemoryUsagePercentage",
            DimensionsMap = new Dictionary<string, string> { ["CacheClusterId"] = data.RedisName + "-001" },
            Statistic = "Maximum",
            Period = Duration.Minutes(1),
        });
}
