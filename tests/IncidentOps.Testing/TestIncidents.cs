using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using Xunit;

namespace IncidentOps.Testing;

/// <summary>Opens incidents the way the events API does (validation, normalisation, correlation), for tests that need one.</summary>
public static class TestIncidents
{
    /// <summary>A new incident from one Events v2 trigger with a fresh dedup key; returns its id.</summary>
    public static async Task<string> OpenAsync(IncidentStore store, string summary, string severity = "critical", string service = "checkout-api") =>
        (await IngestAsync(store, new PagerDutyEvent
        {
            RoutingKey = "team",
            EventAction = "trigger",
            DedupKey = Guid.NewGuid().ToString("N"),
            Payload = new PagerDutyPayload { Summary = summary, Source = service, Severity = severity },
        })).IncidentId!;

    /// <summary>
    /// A deploy of the service some minutes ago, in the change log as the CD tool's webhook records it. A release named only
    /// in an alert's text is too thin for the diagnosis to name a cause on one alert; the recorded deploy is what a rollback
    /// rolls back.
    /// </summary>
    public static Task DeployedAsync(ChangeLog changes, string service, string version, int minutesAgo = 8) =>
        changes.RecordAsync(
            new ChangeEvent($"chg_{Guid.NewGuid():N}", service, $"Deployed {service} {version}", "argo-cd", "deploy", DateTimeOffset.UtcNow.AddMinutes(-minutesAgo), null),
            traceparent: null);

    /// <summary>Validates and ingests one Events v2 body, as <c>POST /api/v1/events</c> does.</summary>
    public static async Task<IngestOutcome> IngestAsync(IncidentStore store, PagerDutyEvent raw)
    {
        var (evt, errors) = EventValidation.Validate(raw);
        Assert.Empty(errors);
        return await IncidentIngestor.Create(store, TimeProvider.System).IngestAsync(evt!, traceparent: null);
    }
}
