using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

public class EventsApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static string NewKey() => $"key-{Guid.NewGuid():N}";

    [Fact]
    public async Task A_trigger_opens_an_incident_stores_its_events_and_queues_the_agents()
    {
        var eventsBefore = await api.Redis.Db.StreamLengthAsync(RedisKeys.OpsEvents);
        var workBefore = await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsUrgent);
        var key = NewKey();

        using var response = await api.Client.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger(key));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var incidentId = body.GetProperty("incidentId").GetString()!;
        Assert.Equal("opened", body.GetProperty("outcome").GetString());
        Assert.Equal(key, body.GetProperty("dedup_key").GetString());
        Assert.Equal($"/api/v1/incidents/{incidentId}", response.Headers.Location?.ToString());

        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}");
        Assert.Equal("triggered", detail.GetProperty("incident").GetProperty("status").GetString());
        Assert.Equal("critical", detail.GetProperty("incident").GetProperty("severity").GetString());
        Assert.Equal(0.071, Assert.Single(detail.GetProperty("alerts").EnumerateArray()).GetProperty("details").GetProperty("error_rate").GetDouble());
        Assert.Equal(["alert.received", "incident.opened"], detail.GetProperty("timeline").EnumerateArray().Select(e => e.GetProperty("type").GetString()));

        Assert.Equal(eventsBefore + 2, await api.Redis.Db.StreamLengthAsync(RedisKeys.OpsEvents));
        // A new incident's first analysis goes to the urgent queue, read before re-analyses.
        Assert.Equal(workBefore + 1, await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsUrgent));
        var work = await api.Redis.Db.StreamRangeAsync(RedisKeys.AgentsUrgent, "-", "+", 1, StackExchange.Redis.Order.Descending);
        Assert.Contains(incidentId, work[0]["work"].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_alert_twice_is_one_alert_and_changes_nothing_the_second_time()
    {
        var key = NewKey();
        var first = await api.PostAsync(ApiFixture.Trigger(key));
        var stored = await api.Redis.SnapshotAsync();

        var second = await api.PostAsync(ApiFixture.Trigger(key));

        Assert.Equal(first.GetProperty("incidentId").GetString(), second.GetProperty("incidentId").GetString());
        Assert.Equal("duplicate", second.GetProperty("outcome").GetString());
        Assert.Equal(stored, await api.Redis.SnapshotAsync());
    }

    [Fact]
    public async Task A_changed_repeat_updates_the_alert_in_the_open_incident_and_queues_a_re_analysis_of_it()
    {
        var key = NewKey();
        var first = await api.PostAsync(ApiFixture.Trigger(key, severity: "warning"));
        var id = first.GetProperty("incidentId").GetString()!;
        // As a worker does when it takes the first analysis: from then on, a change needs a new one.
        Assert.True(await api.Redis.Db.KeyDeleteAsync(RedisKeys.AnalysisPending(id)));
        var workBefore = await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork);

        var second = await api.PostAsync(ApiFixture.Trigger(key, summary: "Checkout error rate above 9%", severity: "critical"));

        Assert.Equal(id, second.GetProperty("incidentId").GetString());
        Assert.Equal("updated", second.GetProperty("outcome").GetString());
        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var alert = Assert.Single(detail.GetProperty("alerts").EnumerateArray());
        Assert.Equal(2, alert.GetProperty("occurrences").GetInt32());
        Assert.Equal("Checkout error rate above 9%", alert.GetProperty("summary").GetString());
        Assert.Equal("critical", detail.GetProperty("incident").GetProperty("severity").GetString());
        Assert.Equal(workBefore + 1, await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork));
        var work = await api.Redis.Db.StreamRangeAsync(RedisKeys.AgentsWork, "-", "+", 1, StackExchange.Redis.Order.Descending);
        var item = JsonDocument.Parse(work[0]["work"].ToString()).RootElement;
        Assert.Equal((id, "alert_changed"), (item.GetProperty("incidentId").GetString(), item.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task Many_alerts_on_one_incident_queue_at_most_one_pending_analysis()
    {
        var key = NewKey();
        var id = (await api.PostAsync(ApiFixture.Trigger(key, severity: "warning"))).GetProperty("incidentId").GetString()!;
        var urgent = await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsUrgent);
        var work = await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork);

        for (var i = 0; i < 20; i++)
        {
            var changed = await api.PostAsync(ApiFixture.Trigger(key, summary: $"Checkout error rate above {i + 10}%", severity: "warning"));
            Assert.Equal(("updated", id), (changed.GetProperty("outcome").GetString(), changed.GetProperty("incidentId").GetString()));
        }

        // The analysis queued when the incident opened has not started: it will read all twenty changes.
        Assert.Equal(urgent, await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsUrgent));
        Assert.Equal(work, await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork));
        var queued = await api.Redis.Db.StreamRangeAsync(RedisKeys.AgentsUrgent, "-", "+");
        Assert.Single(queued, e => e["work"].ToString().Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Acknowledge_then_resolve_moves_the_incident_and_a_new_trigger_opens_a_new_incident()
    {
        var key = NewKey();
        var opened = await api.PostAsync(ApiFixture.Trigger(key));
        var id = opened.GetProperty("incidentId").GetString();

        var acked = await api.PostAsync(new { routing_key = "team-checkout", event_action = "acknowledge", dedup_key = key });
        Assert.Equal("acknowledged", acked.GetProperty("incidentStatus").GetString());
        var resolved = await api.PostAsync(new { routing_key = "team-checkout", event_action = "resolve", dedup_key = key });
        Assert.Equal("resolved", resolved.GetProperty("incidentStatus").GetString());

        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("resolved", detail.GetProperty("incident").GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, detail.GetProperty("incident").GetProperty("acknowledgedAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, detail.GetProperty("incident").GetProperty("resolvedAt").ValueKind);
        Assert.False(await api.Redis.Db.SetContainsAsync(RedisKeys.OpenIncidents, id));

        var resolvedAgain = await api.PostAsync(new { routing_key = "team-checkout", event_action = "resolve", dedup_key = key });
        Assert.Equal("ignored", resolvedAgain.GetProperty("outcome").GetString());

        var reopened = await api.PostAsync(ApiFixture.Trigger(key));
        Assert.Equal("opened", reopened.GetProperty("outcome").GetString());
        Assert.NotEqual(id, reopened.GetProperty("incidentId").GetString());
    }

    [Fact]
    public async Task Resolving_an_unknown_dedup_key_is_a_404_problem_and_stores_nothing()
    {
        var before = await api.Redis.SnapshotAsync();

        using var response = await api.Client.PostAsJsonAsync("/api/v1/events", new { routing_key = "k", event_action = "resolve", dedup_key = NewKey() });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("dedup_key", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(before, await api.Redis.SnapshotAsync());
    }

    [Fact]
    public async Task Concurrent_triggers_with_one_dedup_key_open_exactly_one_incident()
    {
        var key = NewKey();
        var bodies = Enumerable.Range(0, 12).Select(i => ApiFixture.Trigger(key, summary: $"Checkout error rate above {i}%"));

        var results = await Task.WhenAll(bodies.Select(b => api.PostAsync(b)));

        Assert.Single(results.Select(r => r.GetProperty("incidentId").GetString()).Distinct());
        Assert.Single(results, r => r.GetProperty("outcome").GetString() == "opened");
    }
}
