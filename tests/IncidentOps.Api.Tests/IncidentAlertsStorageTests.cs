using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

/// <summary>An incident's alerts live in their own hash: an alert joining a large incident writes one field, readers see all.</summary>
public class IncidentAlertsStorageTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static object Alert(string dedupKey, string service, string severity = "error", string summary = "Checkout error rate above 5%") => new
    {
        routing_key = "team-checkout",
        event_action = "trigger",
        dedup_key = dedupKey,
        payload = new { summary, source = service, severity, component = "payments", @class = "errors", custom_details = new { host = dedupKey } },
    };

    private async Task<string> DocumentAsync(string incidentId) => (await api.Redis.Db.HashGetAsync(RedisKeys.Incident(incidentId), "doc")).ToString();

    [Fact]
    public async Task A_large_incident_keeps_a_small_document_and_readers_still_see_every_alert()
    {
        var service = $"svc-{Guid.NewGuid():N}"[..14];
        var first = await api.PostAsync(Alert($"{service}-0", service));
        var id = first.GetProperty("incidentId").GetString()!;
        var small = (await DocumentAsync(id)).Length;

        await Parallel.ForAsync(1, 200, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            Assert.Equal(id, (await api.PostAsync(Alert($"{service}-{i}", service))).GetProperty("incidentId").GetString()));

        // The document holds the counts, not the alerts: 200 alerts later it is the size it was with one.
        var doc = await DocumentAsync(id);
        Assert.InRange(doc.Length, small - 10, small + 10);
        Assert.Equal(200, await api.Redis.Db.HashLengthAsync(RedisKeys.IncidentAlerts(id)));
        var stored = OpsJson.Deserialize<Incident>(doc);
        Assert.Equal((200, 200, 0), (stored.AlertCount, stored.FiringAlertCount, stored.Alerts.Count));

        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var alerts = detail.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("dedupKey").GetString()).ToList();
        Assert.Equal(200, alerts.Count);
        Assert.Equal($"{service}-0", alerts[0]);
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"{service}-{i}").Order(), alerts.Order());
        Assert.Equal(200, detail.GetProperty("incident").GetProperty("alertCount").GetInt32());
    }

    [Fact]
    public async Task The_severity_falls_when_the_alert_that_held_it_falls_and_not_below_another_alert()
    {
        var service = $"svc-{Guid.NewGuid():N}"[..14];
        var id = (await api.PostAsync(Alert($"{service}-a", service, "critical"))).GetProperty("incidentId").GetString()!;
        await api.PostAsync(Alert($"{service}-b", service, "error"));
        await api.PostAsync(Alert($"{service}-c", service, "warning"));

        await api.PostAsync(Alert($"{service}-a", service, "info"));

        var incident = (await new IncidentStore(api.Redis.Connection).GetAsync(id))!;
        Assert.Equal(Severity.Error, incident.Severity);
        Assert.Equal(Severity.Info, incident.Alerts.Single(a => a.DedupKey == $"{service}-a").Severity);
    }

    [Fact]
    public async Task Resolving_every_alert_of_an_incident_resolves_it_and_not_before()
    {
        var service = $"svc-{Guid.NewGuid():N}"[..14];
        var id = (await api.PostAsync(Alert($"{service}-a", service))).GetProperty("incidentId").GetString()!;
        await api.PostAsync(Alert($"{service}-b", service));
        object Resolve(string key) => new { routing_key = "team-checkout", event_action = "resolve", dedup_key = key };

        Assert.Equal("alertresolved", (await api.PostAsync(Resolve($"{service}-a"))).GetProperty("outcome").GetString());
        Assert.Equal("resolved", (await api.PostAsync(Resolve($"{service}-b"))).GetProperty("outcome").GetString());

        var incident = (await new IncidentStore(api.Redis.Connection).GetAsync(id))!;
        Assert.Equal((IncidentStatus.Resolved, 0), (incident.Status, incident.FiringAlertCount));
        Assert.All(incident.Alerts, a => Assert.Equal(AlertStatus.Resolved, a.Status));
    }

    [Fact]
    public async Task An_incident_stored_with_its_alerts_inline_is_read_whole_and_moves_them_out_on_its_next_write()
    {
        // As every incident was stored before the alerts moved to their own hash.
        var service = $"svc-{Guid.NewGuid():N}"[..14];
        var now = DateTimeOffset.UtcNow;
        var alerts = new[] { $"{service}-a", $"{service}-b" }.Select((key, i) => Incoming(key, service).ToAlert(now.AddSeconds(i - 5), "test")).ToList();
        var id = Incident.NewId(now);
        var old = new Incident(id, "old", IncidentStatus.Triggered, Severity.Error, service, alerts[0].DedupKey, now, now, null, null, alerts, 2)
        {
            GroupKey = AlertCorrelator.GroupKeyOf(Incoming($"{service}-a", service)).Key, LastAlertAt = now,
        };
        var doc = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(OpsJson.Serialize(old), OpsJson.Options)!;
        doc.Remove("alertCount");
        doc.Remove("firingAlertCount");
        await api.Redis.Db.HashSetAsync(RedisKeys.Incident(id), [new("doc", JsonSerializer.Serialize(doc)), new("version", 2)]);
        await api.Redis.Db.SortedSetAddAsync(RedisKeys.Incidents, id, now.ToUnixTimeMilliseconds());
        await api.Redis.Db.SetAddAsync(RedisKeys.OpenIncidents, id);
        foreach (var alert in alerts)
        {
            await api.Redis.Db.StringSetAsync(RedisKeys.Dedup("events", alert.DedupKey), id);
        }

        await api.Redis.Db.StringSetAsync(RedisKeys.Group(old.GroupKey), id);

        var read = (await new IncidentStore(api.Redis.Connection).GetAsync(id))!;
        Assert.Equal((2, 2), (read.Alerts.Count, read.AlertCount));

        Assert.Equal("attached", (await api.PostAsync(Alert($"{service}-c", service))).GetProperty("outcome").GetString());
        Assert.Equal("updated", (await api.PostAsync(Alert($"{service}-a", service, summary: "changed"))).GetProperty("outcome").GetString());

        var after = OpsJson.Deserialize<Incident>(await DocumentAsync(id));
        Assert.Equal((0, 3), (after.Alerts.Count, after.AlertCount));
        var whole = (await new IncidentStore(api.Redis.Connection).GetAsync(id))!;
        Assert.Equal([$"{service}-a", $"{service}-b", $"{service}-c"], whole.Alerts.Select(a => a.DedupKey));
        Assert.Equal("changed", whole.Alerts[0].Summary);
    }

    private static IncomingAlert Incoming(string key, string service)
    {
        var (evt, errors) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team-checkout",
            EventAction = "trigger",
            DedupKey = key,
            Payload = new PagerDutyPayload { Summary = "Checkout error rate above 5%", Source = service, Severity = "error", Component = "payments", Class = "errors" },
        });
        Assert.Empty(errors);
        return AlertNormaliser.ToIncoming(evt!);
    }
}
