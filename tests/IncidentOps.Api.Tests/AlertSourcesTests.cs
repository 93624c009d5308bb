using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Api.Tests.Payloads;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

public class AlertSourcesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    private async Task<JsonElement> PostAsync(string path, object body, string? token, int expected = 202)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token);
        using var client = api.Factory.CreateClient(); // no default token: each call presents its own
        using var response = await client.SendAsync(request);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((int)response.StatusCode == expected, $"Expected {expected}, got {(int)response.StatusCode}: {json}");
        return json;
    }

    private Task<JsonElement> AlertmanagerAsync(object body, int expected = 202) =>
        PostAsync("/api/v1/alerts/alertmanager", body, ApiFixture.AlertmanagerToken, expected);

    private async Task<JsonElement> IncidentAsync(string id) =>
        await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");

    [Fact]
    public async Task An_alertmanager_group_becomes_one_incident_and_says_why_each_alert_joined()
    {
        var service = Unique("svc");
        var group = $"{{}}:{{alertname=\"HighErrorRate\", service=\"{service}\"}}";
        var first = await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "firing",
            AlertmanagerPayloads.Alert(Unique("fp"), "firing", "HighErrorRate", service, instance: "a:9090")));
        var second = await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "firing",
            AlertmanagerPayloads.Alert(Unique("fp"), "firing", "HighErrorRate", service, severity: "warning", instance: "b:9090")));

        var id = first.GetProperty("alerts")[0].GetProperty("incidentId").GetString()!;
        Assert.Equal("opened", first.GetProperty("alerts")[0].GetProperty("outcome").GetString());
        Assert.Equal(id, second.GetProperty("alerts")[0].GetProperty("incidentId").GetString());
        Assert.Equal("attached", second.GetProperty("alerts")[0].GetProperty("outcome").GetString());

        var detail = await IncidentAsync(id);
        var alerts = detail.GetProperty("alerts").EnumerateArray().ToList();
        Assert.Equal(2, alerts.Count);
        Assert.Contains("same groupKey", alerts[1].GetProperty("groupingReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("critical", detail.GetProperty("incident").GetProperty("severity").GetString());
        Assert.Equal(service, detail.GetProperty("incident").GetProperty("service").GetString());
        Assert.Equal("HighErrorRate on " + service, alerts[0].GetProperty("summary").GetString());
    }

    [Fact]
    public async Task The_same_group_sent_by_both_alertmanagers_of_an_HA_pair_is_one_delivery()
    {
        var service = Unique("svc");
        var alert = AlertmanagerPayloads.Alert(Unique("fp"), "firing", "HighLatency", service);
        var fromPeer0 = AlertmanagerPayloads.Webhook($"{{}}:{{service=\"{service}\"}}", "firing", alert);
        var first = await AlertmanagerAsync(fromPeer0);
        var stored = await api.Redis.SnapshotAsync();

        // The second peer's body differs only in where it came from.
        var fromPeer1 = JsonSerializer.SerializeToNode(fromPeer0)!.AsObject();
        fromPeer1["externalURL"] = "http://alertmanager-1:9093";
        var second = await AlertmanagerAsync(fromPeer1);

        Assert.Equal("processed", first.GetProperty("delivery").GetString());
        Assert.Equal("duplicate", second.GetProperty("delivery").GetString());
        Assert.Equal(stored, await api.Redis.SnapshotAsync());
    }

    [Fact]
    public async Task When_every_alert_resolves_at_the_source_the_incident_is_mitigated_and_refiring_makes_it_live_again()
    {
        var service = Unique("svc");
        var group = $"{{}}:{{service=\"{service}\"}}";
        var (fp1, fp2) = (Unique("fp"), Unique("fp"));
        var opened = await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "firing",
            AlertmanagerPayloads.Alert(fp1, "firing", "HighErrorRate", service, instance: "a"), AlertmanagerPayloads.Alert(fp2, "firing", "HighErrorRate", service, instance: "b")));
        var id = opened.GetProperty("alerts")[0].GetProperty("incidentId").GetString();

        var partly = await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "firing",
            AlertmanagerPayloads.Alert(fp1, "resolved", "HighErrorRate", service, endsAt: "2026-11-25T10:20:00Z", instance: "a"), AlertmanagerPayloads.Alert(fp2, "firing", "HighErrorRate", service, instance: "b")));
        Assert.Equal("alertresolved", partly.GetProperty("alerts")[0].GetProperty("outcome").GetString());
        Assert.Equal("triggered", (await IncidentAsync(id!)).GetProperty("incident").GetProperty("status").GetString());

        var all = await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "resolved",
            AlertmanagerPayloads.Alert(fp1, "resolved", "HighErrorRate", service, endsAt: "2026-11-25T10:20:00Z", instance: "a"), AlertmanagerPayloads.Alert(fp2, "resolved", "HighErrorRate", service, endsAt: "2026-11-25T10:21:00Z", instance: "b")));
        Assert.Equal("mitigated", all.GetProperty("alerts")[1].GetProperty("outcome").GetString());
        var mitigated = await IncidentAsync(id!);
        Assert.Equal("mitigated", mitigated.GetProperty("incident").GetProperty("status").GetString());
        Assert.Contains(mitigated.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "incident.mitigated");

        await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "firing",
            AlertmanagerPayloads.Alert(fp2, "firing", "HighErrorRate", service, startsAt: "2026-11-25T11:00:00Z", instance: "b")));
        Assert.Equal("triggered", (await IncidentAsync(id!)).GetProperty("incident").GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_resolved_incident_is_never_reused_the_alert_firing_again_opens_a_linked_incident()
    {
        var service = Unique("svc");
        var fp = Unique("fp");
        var group = $"{{}}:{{service=\"{service}\"}}";
        var opened = await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "firing", AlertmanagerPayloads.Alert(fp, "firing", "HighErrorRate", service)));
        var first = opened.GetProperty("alerts")[0].GetProperty("incidentId").GetString()!;
        using (var resolve = await api.Client.PostAsJsonAsync($"/api/v1/incidents/{first}/resolve", new { by = "alice", reason = "rolled back" }))
        {
            Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        }

        var again = await AlertmanagerAsync(AlertmanagerPayloads.Webhook(group, "firing",
            AlertmanagerPayloads.Alert(fp, "firing", "HighErrorRate", service, startsAt: "2026-11-25T12:00:00Z")));

        var second = again.GetProperty("alerts")[0].GetProperty("incidentId").GetString()!;
        Assert.NotEqual(first, second);
        Assert.Equal(first, (await IncidentAsync(second)).GetProperty("incident").GetProperty("previousIncidentId").GetString());
    }

    [Fact]
    public async Task Grafana_alerts_keep_their_values_and_links_and_join_by_service_and_alertname_within_the_window()
    {
        var first = await PostAsync("/api/v1/alerts/grafana", AlertmanagerPayloads.Grafana(Unique("g"), "firing"), ApiFixture.GrafanaToken);
        var second = await PostAsync("/api/v1/alerts/grafana", AlertmanagerPayloads.Grafana(Unique("g"), "firing"), "old-grafana-token");

        var id = first.GetProperty("alerts")[0].GetProperty("incidentId").GetString()!;
        Assert.Equal(id, second.GetProperty("alerts")[0].GetProperty("incidentId").GetString());
        var detail = await IncidentAsync(id);
        var alert = detail.GetProperty("alerts")[0];
        Assert.Equal("warning", alert.GetProperty("severity").GetString());
        Assert.Equal(92.3, alert.GetProperty("details").GetProperty("values").GetProperty("B").GetDouble());
        Assert.Equal("http://grafana:3000/d/db?viewPanel=2", alert.GetProperty("details").GetProperty("panelUrl").GetString());
        Assert.Contains("within 10 min", detail.GetProperty("alerts")[1].GetProperty("groupingReason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/alerts/alertmanager", null)]
    [InlineData("/api/v1/alerts/alertmanager", "wrong-token")]
    [InlineData("/api/v1/alerts/alertmanager", ApiFixture.GrafanaToken)]
    [InlineData("/api/v1/alerts/grafana", ApiFixture.AlertmanagerToken)]
    [InlineData("/api/v1/alerts/alertmanager/wrong-token", null)]
    public async Task A_missing_or_wrong_token_is_401_and_stores_nothing(string path, string? token)
    {
        var before = await api.Redis.SnapshotAsync();
        var body = AlertmanagerPayloads.Webhook("{}:{}", "firing", AlertmanagerPayloads.Alert(Unique("fp"), "firing", "X", Unique("svc")));

        var problem = await PostAsync(path, body, token, expected: 401);

        Assert.Contains("token", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await api.Redis.SnapshotAsync());
    }

    [Fact]
    public async Task The_token_may_come_in_the_path_and_events_accept_the_routing_key_as_token()
    {
        var body = AlertmanagerPayloads.Webhook("{}:{}", "firing", AlertmanagerPayloads.Alert(Unique("fp"), "firing", "X", Unique("svc")));
        await PostAsync($"/api/v1/alerts/alertmanager/{ApiFixture.AlertmanagerToken}", body, token: null);

        await PostAsync("/api/v1/events", new
        {
            routing_key = ApiFixture.EventsToken,
            event_action = "trigger",
            payload = new { summary = "x", source = Unique("svc"), severity = "info" },
        }, token: null);
        await PostAsync("/api/v1/events", new { routing_key = "not-a-token", event_action = "trigger", payload = new { summary = "x", source = "y", severity = "info" } }, token: null, expected: 401);
    }

    [Fact]
    public async Task Firing_alert_events_reach_the_log_in_order()
    {
        var before = await api.Redis.Db.StreamLengthAsync(RedisKeys.OpsEvents);
        await AlertmanagerAsync(AlertmanagerPayloads.Webhook($"{{}}:{{x=\"{Unique("g")}\"}}", "firing", AlertmanagerPayloads.Alert(Unique("fp"), "firing", "X", Unique("svc"))));

        var entries = await api.Redis.Db.StreamRangeAsync(RedisKeys.OpsEvents, "-", "+", 2, StackExchange.Redis.Order.Descending);
        Assert.Equal(before + 2, await api.Redis.Db.StreamLengthAsync(RedisKeys.OpsEvents));
        Assert.Contains("incident.opened", entries[0]["event"].ToString(), StringComparison.Ordinal);
        Assert.Contains("alert.received", entries[1]["event"].ToString(), StringComparison.Ordinal);
    }
}
