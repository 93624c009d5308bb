namespace IncidentOps.Api.Tests.Payloads;

/// <summary>Alertmanager (webhook version 4) and Grafana bodies, written from the documented formats.</summary>
public static class AlertmanagerPayloads
{
    public static object Alert(string fingerprint, string status, string alertname, string service, string severity = "critical",
        string startsAt = "2026-11-25T10:00:00.000Z", string endsAt = "0001-01-01T00:00:00Z", string? instance = null) => new
    {
        status,
        labels = new Dictionary<string, string>
        {
            ["alertname"] = alertname,
            ["service"] = service,
            ["severity"] = severity,
            ["instance"] = instance ?? $"{service}-0:9090",
        },
        annotations = new Dictionary<string, string>
        {
            ["summary"] = $"{alertname} on {service}",
            ["description"] = "5xx ratio above 5% for 5 minutes",
        },
        startsAt,
        endsAt,
        generatorURL = $"http://prometheus:9090/graph?g0.expr=job%3D%22{service}%22",
        fingerprint,
    };

    public static object Webhook(string groupKey, string status, params object[] alerts) => new
    {
        version = "4",
        groupKey,
        truncatedAlerts = 0,
        status,
        receiver = "incidentops",
        groupLabels = new { alertname = "HighErrorRate" },
        commonLabels = new { alertname = "HighErrorRate" },
        commonAnnotations = new { },
        externalURL = "http://alertmanager-0:9093",
        alerts,
    };

    public static object Grafana(string fingerprint, string status) => new
    {
        receiver = "incidentops",
        status,
        orgId = 1,
        alerts = new[]
        {
            new
            {
                status,
                labels = new Dictionary<string, string> { ["alertname"] = "DiskAlmostFull", ["service"] = "postgres", ["severity"] = "warning", ["grafana_folder"] = "Databases" },
                annotations = new Dictionary<string, string> { ["summary"] = "Disk 92% full on postgres-0" },
                startsAt = "2026-11-25T09:00:00Z",
                endsAt = status == "resolved" ? "2026-11-25T09:30:00Z" : "0001-01-01T00:00:00Z",
                generatorURL = "http://grafana:3000/alerting/grafana/abc/view",
                fingerprint,
                silenceURL = "http://grafana:3000/alerting/silence/new",
                dashboardURL = "http://grafana:3000/d/db",
                panelURL = "http://grafana:3000/d/db?viewPanel=2",
                values = new Dictionary<string, double> { ["B"] = 92.3, ["C"] = 1 },
            },
        },
        groupLabels = new { alertname = "DiskAlmostFull" },
        commonLabels = new { alertname = "DiskAlmostFull" },
        commonAnnotations = new { },
        externalURL = "http://grafana:3000/",
        version = "1",
        groupKey = (string?)null,
        truncatedAlerts = 0,
        title = "[FIRING:1] DiskAlmostFull Databases",
        state = "alerting",
        message = "**Firing**\n\nValue: B=92.3",
    };
}
