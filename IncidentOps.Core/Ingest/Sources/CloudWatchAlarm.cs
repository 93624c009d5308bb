using System.Globalization;
using System.Text.Json;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest.Sources;

/// <summary>The CloudWatch alarm state-change message SNS carries in <c>Message</c>.</summary>
public sealed record CloudWatchAlarm
{
    public string? AlarmName { get; init; }

    public string? AlarmDescription { get; init; }

    public string? AWSAccountId { get; init; }

    public string? NewStateValue { get; init; }

    public string? NewStateReason { get; init; }

    public string? StateChangeTime { get; init; }

    public string? Region { get; init; }

    public string? AlarmArn { get; init; }

    public string? OldStateValue { get; init; }

    public CloudWatchTrigger? Trigger { get; init; }
}

public sealed record CloudWatchTrigger
{
    public string? MetricName { get; init; }

    public string? Namespace { get; init; }

    public string? Statistic { get; init; }

    public List<CloudWatchDimension>? Dimensions { get; init; }

    /// <summary>Metric-math alarms list their metrics here instead of MetricName/Namespace.</summary>
    public JsonElement? Metrics { get; init; }

    public double? Threshold { get; init; }

    public string? ComparisonOperator { get; init; }
}

public sealed record CloudWatchDimension(string? Name, string? Value);

public static class CloudWatchNormaliser
{
    public const string Source = "cloudwatch";

    // Dimensions that name the thing an alarm is about, most specific first.
    private static readonly string[] ServiceDimensions =
        ["ServiceName", "FunctionName", "DBInstanceIdentifier", "DBClusterIdentifier", "LoadBalancer", "TargetGroup", "ClusterName", "QueueName", "TableName", "InstanceId", "AutoScalingGroupName"];

    public static (IncomingAlert? Alert, IReadOnlyList<FieldError> Errors) Normalise(CloudWatchAlarm alarm, string messageId)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(alarm.AlarmName))
        {
            errors.Add(new("Message.AlarmName", "is required."));
        }

        if (string.IsNullOrWhiteSpace(alarm.AlarmArn))
        {
            errors.Add(new("Message.AlarmArn", "is required."));
        }

        (AlertStatus, Severity)? state = alarm.NewStateValue switch
        {
            "ALARM" => (AlertStatus.Firing, Severity.Error),
            "INSUFFICIENT_DATA" => (AlertStatus.Firing, Severity.Warning),
            "OK" => (AlertStatus.Resolved, Severity.Info),
            _ => null,
        };
        if (state is null)
        {
            errors.Add(new("Message.NewStateValue", $"must be ALARM, OK or INSUFFICIENT_DATA (got '{alarm.NewStateValue}')."));
        }

        var changed = ParseTime(alarm.StateChangeTime);
        if (changed is null)
        {
            errors.Add(new("Message.StateChangeTime", $"must be a date-time like 2026-11-25T10:00:00.000+0000 (got '{alarm.StateChangeTime}')."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var dimensions = alarm.Trigger?.Dimensions?.Where(d => d.Name is not null && d.Value is not null).ToDictionary(d => d.Name!, d => d.Value!) ?? [];
        var labels = new Dictionary<string, string> { ["alarm_name"] = alarm.AlarmName!, ["state"] = alarm.NewStateValue! };
        Add(labels, "namespace", alarm.Trigger?.Namespace);
        Add(labels, "metric", alarm.Trigger?.MetricName);
        Add(labels, "region", alarm.Region);
        Add(labels, "account", alarm.AWSAccountId);
        foreach (var (name, value) in dimensions)
        {
            labels[$"dimension_{name}"] = value;
        }

        var service = ServiceDimensions.Select(d => dimensions.GetValueOrDefault(d)).FirstOrDefault(v => v is not null)
            ?? alarm.Trigger?.Namespace ?? "aws";
        var (status, severity) = state!.Value;
        var annotations = new Dictionary<string, string>();
        Add(annotations, "reason", alarm.NewStateReason);
        Add(annotations, "description", alarm.AlarmDescription);
        var region = alarm.AlarmArn!.Split(':') is { Length: > 3 } arn ? arn[3] : null;

        return (new IncomingAlert(
            Source, alarm.AlarmArn!, status, alarm.AlarmDescription is { Length: > 0 } d ? $"{alarm.AlarmName}: {d}" : alarm.AlarmName!,
            severity, service, alarm.Trigger?.MetricName, alarm.AlarmName, GroupKey: null,
            status == AlertStatus.Firing ? changed : null, status == AlertStatus.Resolved ? changed : null,
            labels, annotations,
            region is null ? null : $"https://console.aws.amazon.com/cloudwatch/home?region={region}#alarmsV2:alarm/{Uri.EscapeDataString(alarm.AlarmName!)}",
            alarm.Trigger?.Metrics is { } metrics ? JsonSerializer.SerializeToElement(new { metrics, snsMessageId = messageId }) : null), errors);
    }

    /// <summary>CloudWatch writes offsets as <c>+0000</c>, which is not ISO 8601.</summary>
    public static DateTimeOffset? ParseTime(string? text)
    {
        string[] formats = ["yyyy-MM-dd'T'HH:mm:ss.fffzzz", "yyyy-MM-dd'T'HH:mm:sszzz"];
        if (text is null)
        {
            return null;
        }

        var normalised = text.Length > 5 && (text[^5] == '+' || text[^5] == '-') && char.IsDigit(text[^1]) ? text[..^2] + ":" + text[^2..] : text;
        return DateTimeOffset.TryParseExact(normalised, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            || DateTimeOffset.TryParse(normalised, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out t)
            ? t.ToUniversalTime()
            : null;
    }

    private static void Add(Dictionary<string, string> map, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            map[key] = value;
        }
    }
}
