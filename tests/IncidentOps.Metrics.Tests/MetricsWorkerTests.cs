using System.Text.Json;
using IncidentOps.Core;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IncidentOps.Metrics.Tests;

public sealed class MetricsWorkerTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task Resolving_an_incident_publishes_new_figures_as_an_event_and_a_snapshot()
    {
        await using var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", _redis.ConnectionString));
        _ = worker.Server;
        await Eventually.TrueAsync(async () => await _redis.Db.KeyExistsAsync(RedisKeys.MetricsSnapshot), TimeSpan.FromSeconds(20), "the first snapshot");

        var ingestor = IncidentIngestor.Create(new IncidentStore(_redis.Connection), TimeProvider.System);
        await ingestor.IngestAsync(Valid("trigger"), null);
        await ingestor.IngestAsync(Valid("resolve"), null);

        var log = new OpsEventLog(_redis.Connection);
        MetricsSnapshot? published = null;
        await Eventually.TrueAsync(async () =>
        {
            var updates = (await log.ReadAfterAsync(StreamId.Zero, 1000)).Where(e => e.Type == EventTypes.MetricsUpdated).ToList();
            published = updates.Select(e => e.Data.GetProperty("metrics").Deserialize<MetricsSnapshot>(OpsJson.Options)!)
                .LastOrDefault(m => m.IncidentsHandled == 1);
            return published is not null;
        }, TimeSpan.FromSeconds(20), "metrics.updated with the resolved incident");

        Assert.Equal(0, published!.IncidentsOpen);
        Assert.Equal(1, published.Mttr.SampleSize);
        var stored = OpsJson.Deserialize<MetricsSnapshot>((await _redis.Db.StringGetAsync(RedisKeys.MetricsSnapshot)).ToString());
        Assert.Equal(1, stored.IncidentsHandled);
    }

    private static ValidEvent Valid(string action) => EventValidation.Validate(new PagerDutyEvent
    {
        RoutingKey = "team",
        EventAction = action,
        DedupKey = "metrics-test",
        Payload = action == "trigger" ? new PagerDutyPayload { Summary = "Queue depth high", Source = "orders", Severity = "error" } : null,
    }).Event!;
}
