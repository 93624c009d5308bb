using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using IncidentOps.Api.Tests.Payloads;
using StackExchange.Redis;

namespace IncidentOps.Api.Tests;

/// <summary>An ingest token is a credential: it must not end up in anything a reader of incidents can see.</summary>
public class IngestTokenLeakTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly string[] Tokens = [ApiFixture.EventsToken, ApiFixture.AlertmanagerToken, ApiFixture.GrafanaToken, ApiFixture.CloudWatchToken];

    private static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..20];

    [Fact]
    public async Task Tokens_sent_as_routing_key_or_in_the_path_are_stored_nowhere_and_the_actor_is_the_source()
    {
        using var client = api.Factory.CreateClient(); // no bearer: the routing key and the path carry the tokens
        var trigger = await PostAsync(client, "/api/v1/events", new
        {
            routing_key = ApiFixture.EventsToken,
            event_action = "trigger",
            payload = new { summary = "Checkout 5xx", source = Unique("svc"), severity = "error" },
        });
        var eventsIncident = trigger.GetProperty("incidentId").GetString()!;
        var dedupKey = trigger.GetProperty("dedup_key").GetString()!;
        await PostAsync(client, "/api/v1/events", new { routing_key = ApiFixture.EventsToken, event_action = "acknowledge", dedup_key = dedupKey });

        var service = Unique("svc");
        var fingerprint = Unique("fp");
        var group = $"{{}}:{{service=\"{service}\"}}";
        var path = $"/api/v1/alerts/alertmanager/{ApiFixture.AlertmanagerToken}";
        var firing = await PostAsync(client, path, AlertmanagerPayloads.Webhook(group, "firing", AlertmanagerPayloads.Alert(fingerprint, "firing", "HighErrorRate", service)));
        await PostAsync(client, path, AlertmanagerPayloads.Webhook(group, "resolved", AlertmanagerPayloads.Alert(fingerprint, "resolved", "HighErrorRate", service)));
        var alertmanagerIncident = firing.GetProperty("alerts")[0].GetProperty("incidentId").GetString()!;

        var eventsDetail = await api.Client.GetStringAsync($"/api/v1/incidents/{eventsIncident}");
        var alertmanagerDetail = await api.Client.GetStringAsync($"/api/v1/incidents/{alertmanagerIncident}");
        var everything = await DumpRedisAsync() + eventsDetail + alertmanagerDetail;

        Assert.All(Tokens, token => Assert.DoesNotContain(token, everything, StringComparison.Ordinal));
        Assert.Equal("events", ActorOf(eventsDetail, "incident.acknowledged"));
        Assert.Equal("alertmanager", ActorOf(alertmanagerDetail, "incident.mitigated"));
    }

    private static string? ActorOf(string detail, string type) =>
        JsonDocument.Parse(detail).RootElement.GetProperty("timeline").EnumerateArray()
            .Single(e => e.GetProperty("type").GetString() == type).GetProperty("data").GetProperty("actor").GetString();

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {json}");
        return json;
    }

    /// <summary>Every value of every key, whatever its type: a token stored anywhere shows up here.</summary>
    private async Task<string> DumpRedisAsync()
    {
        var db = api.Redis.Db;
        var text = new StringBuilder();
        await foreach (var key in api.Redis.Connection.GetServer(api.Redis.ConnectionString).KeysAsync(pattern: "*"))
        {
            text.Append(key).Append('\n');
            IEnumerable<RedisValue> values = await db.KeyTypeAsync(key) switch
            {
                RedisType.String => [await db.StringGetAsync(key)],
                RedisType.Hash => (await db.HashGetAllAsync(key)).SelectMany(e => new[] { e.Name, e.Value }),
                RedisType.List => await db.ListRangeAsync(key),
                RedisType.Set => await db.SetMembersAsync(key),
                RedisType.SortedSet => await db.SortedSetRangeByRankAsync(key),
                RedisType.Stream => (await db.StreamRangeAsync(key)).SelectMany(e => e.Values.SelectMany(v => new[] { v.Name, v.Value })),
                _ => [],
            };
            foreach (var value in values)
            {
                text.Append(value.ToString()).Append('\n');
            }
        }

        return text.ToString();
    }
}
