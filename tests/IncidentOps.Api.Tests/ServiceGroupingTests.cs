using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

public class ServiceGroupingTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static IncomingAlert Event(string service, string summary, string eventClass)
    {
        var (evt, errors) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team",
            EventAction = "trigger",
            DedupKey = Guid.NewGuid().ToString("N"),
            Payload = new PagerDutyPayload { Summary = summary, Source = service, Severity = "error", Class = eventClass },
        });
        Assert.Empty(errors);
        return AlertNormaliser.ToIncoming(evt!);
    }

    [Fact]
    public async Task Grouping_by_service_puts_differently_named_alerts_of_one_service_in_one_incident_and_says_why()
    {
        var store = new IncidentStore(api.Redis.Connection);
        var service = $"svc-{Guid.NewGuid():N}"[..12];
        var byService = new AlertCorrelator(store, TimeProvider.System, Options.Create(new CorrelationOptions { GroupBy = GroupingMode.Service }));
        var byAlert = new AlertCorrelator(store, TimeProvider.System, Options.Create(new CorrelationOptions()));

        var first = await byService.IngestAsync(Event(service, "p99 latency 3s", "latency"), null);
        var second = await byService.IngestAsync(Event(service, "DB connections exhausted", "saturation"), null);
        var other = await byAlert.IngestAsync(Event(service, "Queue lag 10k", "lag"), null);

        Assert.Equal(first.IncidentId, second.IncidentId);
        Assert.NotEqual(first.IncidentId, other.IncidentId);
        var incident = await store.GetAsync(first.IncidentId!);
        Assert.Equal($"same service ({service}) within 10 min", incident!.Alerts[1].GroupingReason);
    }
}
