using System.Globalization;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;

namespace IncidentOps.Core.Ingest.Sources;

/// <summary>Validates an Alertmanager (or Grafana) webhook body and turns its alerts into <see cref="IncomingAlert"/>s.</summary>
public static class AlertmanagerNormaliser
{
    public const string AlertmanagerSource = "alertmanager";
    public const string GrafanaSource = "grafana";
    public const int MaxAlerts = 1000;
    private const int MaxLabels = 100;
    private const int MaxValueLength = 4096;

    public static (IReadOnlyList<IncomingAlert> Alerts, IReadOnlyList<FieldError> Errors) Normalise(AlertmanagerPayload body, string source)
    {
        var errors = new List<FieldError>();
        if (body.Alerts is null)
        {
            errors.Add(new("alerts", "is required (an array of alerts)."));
            return ([], errors);
        }

        if (body.Alerts.Count > MaxAlerts)
        {
            errors.Add(new("alerts", $"must hold at most {MaxAlerts} alerts (got {body.Alerts.Count})."));
            return ([], errors);
        }

        if (string.IsNullOrWhiteSpace(body.GroupKey) && source == AlertmanagerSource)
        {
            errors.Add(new("groupKey", "is required."));
        }

        CheckMap(errors, "commonLabels", body.CommonLabels);
        CheckMap(errors, "commonAnnotations", body.CommonAnnotations);
        var alerts = new List<IncomingAlert>();
        for (var i = 0; i < body.Alerts.Count; i++)
        {
            var alert = Normalise(body, body.Alerts[i], source, $"alerts[{i}]", errors);
            if (alert is not null)
            {
                alerts.Add(alert);
            }
        }

        return errors.Count > 0 ? ([], errors) : (alerts, errors);
    }

    private static IncomingAlert? Normalise(AlertmanagerPayload body, AlertmanagerAlert? alert, string source, string path, List<FieldError> errors)
    {
        if (alert is null)
        {
            errors.Add(new(path, "must be an object, not null."));
            return null;
        }

        var before = errors.Count;
        AlertStatus? status = alert.Status switch
        {
            "firing" => AlertStatus.Firing,
            "resolved" => AlertStatus.Resolved,
            _ => null,
        };
        if (status is null)
        {
            errors.Add(new($"{path}.status", $"must be firing or resolved (got '{alert.Status}')."));
        }

        if (alert.Labels is not { Count: > 0 })
        {
            errors.Add(new($"{path}.labels", "is required and must not be empty."));
        }

        CheckMap(errors, $"{path}.labels", alert.Labels);
        CheckMap(errors, $"{path}.annotations", alert.Annotations);
        var startsAt = Time(alert.StartsAt, $"{path}.startsAt", errors, required: true);
        var endsAt = Time(alert.EndsAt, $"{path}.endsAt", errors, required: false);
        if (errors.Count > before)
        {
            return null;
        }

        var labels = alert.Labels!;
        var annotations = alert.Annotations ?? [];
        labels.TryGetValue("alertname", out var alertName);
        var summary = First(annotations, "summary", "description", "message") ?? alertName ?? "Alert";
        var fingerprint = !string.IsNullOrWhiteSpace(alert.Fingerprint)
            ? alert.Fingerprint!
            // Alertmanager always sends one; compute the same idea (a hash of the label set) when absent.
            : IncomingAlert.Hash(string.Join('\u001e', labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")))[..16];

        return new IncomingAlert(
            source, fingerprint, status!.Value, summary.Length > 1024 ? summary[..1024] : summary, SeverityOf(labels), ServiceOf(labels),
            First(labels, "component", "container", "pod"), alertName, body.GroupKey, startsAt, endsAt,
            labels, annotations, alert.GeneratorURL ?? alert.PanelURL ?? alert.DashboardURL,
            source == GrafanaSource ? OpsJson.ToElement(new GrafanaDetails(alert.Values, alert.DashboardURL, alert.PanelURL, alert.SilenceURL, alert.ImageURL, body.OrgId)) : null);
    }

    /// <summary>Alertmanager/Grafana severity labels onto the one scale; no label means warning.</summary>
    public static Severity SeverityOf(IReadOnlyDictionary<string, string> labels) =>
        (labels.TryGetValue("severity", out var s) ? s : labels.TryGetValue("priority", out var p) ? p : null)?.ToLowerInvariant() switch
        {
            "critical" or "crit" or "page" or "p1" or "fatal" or "emergency" => Severity.Critical,
            "error" or "err" or "high" or "major" or "p2" => Severity.Error,
            "info" or "informational" or "low" or "none" or "p4" or "p5" => Severity.Info,
            _ => Severity.Warning,
        };

    /// <summary>The service an alert is about: the first of the labels teams use for it.</summary>
    public static string ServiceOf(IReadOnlyDictionary<string, string> labels) =>
        First(labels, "service", "app", "app_kubernetes_io_name", "job", "namespace", "instance") ?? "unknown";

    private static string? First(IReadOnlyDictionary<string, string> map, params string[] keys) =>
        keys.Select(k => map.TryGetValue(k, out var v) && !string.IsNullOrWhiteSpace(v) ? v : null).FirstOrDefault(v => v is not null);

    private static DateTimeOffset? Time(string? text, string field, List<FieldError> errors, bool required)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new(field, "is required (RFC 3339 date-time)."));
            }

            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
        {
            errors.Add(new(field, $"must be an RFC 3339 date-time (got '{(text.Length > 64 ? text[..64] + "…" : text)}')."));
            return null;
        }

        // Alertmanager sends 0001-01-01T00:00:00Z for "no end".
        return time.Year <= 1 ? null : time.ToUniversalTime();
    }

    private static void CheckMap(List<FieldError> errors, string field, Dictionary<string, string>? map)
    {
        if (map is null)
        {
            return;
        }

        if (map.Count > MaxLabels)
        {
            errors.Add(new(field, $"must have at most {MaxLabels} entries (got {map.Count})."));
        }
        else if (map.Any(kv => kv.Value is null))
        {
            errors.Add(new(field, "values must be strings, not null."));
        }
        else if (map.Any(kv => kv.Key.Length > 256 || kv.Value.Length > MaxValueLength))
        {
            errors.Add(new(field, $"keys must be at most 256 and values at most {MaxValueLength} characters."));
        }
    }
}

/// <summary>What Grafana adds to an alert, kept as the alert's details.</summary>
public sealed record GrafanaDetails(System.Text.Json.JsonElement? Values, string? DashboardUrl, string? PanelUrl, string? SilenceUrl, string? ImageUrl, long? OrgId);
