using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using Xunit;

namespace IncidentOps.Testing;

/// <summary>Opens incidents the way the events API does (validation, normalisation, correlation), for tests that need one.</summary>
public static class TestIncidents
{
    /// <summary>A new incident from one Events v2 trigger with a fresh dedup key; returns its id.</summary>
    public static async Task<string> OpenAsync(IncidentStore store, string summary, string severity = "critical", string service = "checkout-api")
    {
        var (evt, errors) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team",
            EventAction = "trigger",
            DedupKey = Guid.NewGuid().ToString("N"),
            Payload = new PagerDutyPayload { Summary = summary, Source = service, Severity = severity },
        });
        Assert.Empty(errors);
        var outcome = await IncidentIngestor.Create(store, TimeProvider.System).IngestAsync(evt!, traceparent: null);
        return outcome.IncidentId!;
    }
}
