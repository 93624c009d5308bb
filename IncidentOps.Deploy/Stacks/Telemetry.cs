namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// Where the services' OpenTelemetry ends up in AWS: an ADOT collector beside each service receives OTLP and writes
/// metrics to CloudWatch (embedded metric format, namespace <see cref="Namespace"/>, dimension <c>service.name</c>)
/// and traces to X-Ray. The metric names are the services' own instrument names.
/// </summary>
public static class Telemetry
{
    public const string Namespace = "IncidentOps";
    public const string ServiceDimension = "service.name";
    public const string MetricsLogGroup = "/incidentops/otel-metrics";

    /// <summary>ADOT from ECR Public, pulled through the registry's cache; pinned so a deploy is repeatable.</summary>
    public const string CollectorImage = "aws-observability/aws-otel-collector:v0.41.1";

    /// <summary>Counter on the API meter (IncidentOps.Api/ApiTelemetry.cs).</summary>
    public const string AlertsIngested = "incidentops.alerts.ingested";

    /// <summary>Gauge on the agents meter: entries of <c>agents:work</c> not yet delivered to the consumer group (XINFO GROUPS lag).</summary>
    public const string AgentsWorkLag = "incidentops.agents.work.lag";

    /// <summary>Gauge on the API meter: live hub connections per replica (IncidentOps.Api/Hubs/OpsHub.cs), the one the README lists.</summary>
    public const string HubConnections = "incidentops.hub.connections";

    /// <summary>Counter on the agents meter: US dollars spent on AI calls, by the price table the router uses.</summary>
    public const string AiCostUsd = "incidentops.ai.cost";

    /// <summary>The collector's configuration, handed to it in AOT_CONFIG_CONTENT.</summary>
    public static string CollectorConfig(string region) => $$"""
        extensions:
          health_check:
        receivers:
          otlp:
            protocols:
              grpc:
                endpoint: 0.0.0.0:4317
              http:
                endpoint: 0.0.0.0:4318
        processors:
          batch:
            timeout: 10s
          resourcedetection:
            detectors: [env, ecs]
        exporters:
          awsemf:
            region: {{region}}
            namespace: {{Namespace}}
            log_group_name: {{MetricsLogGroup}}
            log_stream_name: "{TaskId}"
            resource_to_telemetry_conversion:
              enabled: true
            dimension_rollup_option: NoDimensionRollup
            metric_declarations:
              - dimensions: [[{{ServiceDimension}}]]
                metric_name_selectors:
                  - "^incidentops\\."
                  - "^signalr\\.server\\."
                  - "^http\\.server\\.request\\.duration$"
          awsxray:
            region: {{region}}
        service:
          extensions: [health_check]
          pipelines:
            traces:
              receivers: [otlp]
              processors: [resourcedetection, batch]
              exporters: [awsxray]
            metrics:
              receivers: [otlp]
              processors: [resourcedetection, batch]
              exporters: [awsemf]
        """;
}
