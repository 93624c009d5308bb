using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentOps.Api.Tests;

public class QueryAndHealthTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_open_list_holds_open_incidents_only_and_the_event_id_it_is_current_to()
    {
        var open = await api.PostAsync(ApiFixture.Trigger($"open-{Guid.NewGuid():N}"));
        var closedKey = $"closed-{Guid.NewGuid():N}";
        var closed = await api.PostAsync(ApiFixture.Trigger(closedKey));
        await api.PostAsync(new { routing_key = "team-checkout", event_action = "resolve", dedup_key = closedKey });

        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open");
        var all = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=all");

        var openIds = list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()).ToList();
        Assert.Contains(open.GetProperty("incidentId").GetString(), openIds);
        Assert.DoesNotContain(closed.GetProperty("incidentId").GetString(), openIds);
        Assert.Contains(closed.GetProperty("incidentId").GetString(), all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()));
        Assert.Matches(@"^\d+-\d+$", list.GetProperty("lastEventId").GetString());
        var first = list.GetProperty("items")[0].GetProperty("agents");
        Assert.Equal("pending", first.GetProperty("detection").GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("/api/v1/incidents?status=sideways", 400)]
    [InlineData("/api/v1/incidents?limit=0", 400)]
    [InlineData("/api/v1/incidents/inc_does_not_exist", 404)]
    public async Task Bad_queries_and_unknown_ids_are_problems(string url, int status)
    {
        using var response = await api.Client.GetAsync(url);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Detailed_health_reports_redis_streams_groups_and_hub_connections()
    {
        await api.PostAsync(ApiFixture.Trigger($"health-{Guid.NewGuid():N}"));
        await using var hub = api.Hub();
        await hub.StartAsync();

        var health = await api.Client.GetFromJsonAsync<JsonElement>("/dashboard/health/detailed");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.True(health.GetProperty("redis").GetProperty("reachable").GetBoolean());
        Assert.True(health.GetProperty("redis").GetProperty("latencyMs").GetDouble() >= 0);
        var events = health.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("name").GetString() == Core.Storage.RedisKeys.OpsEvents);
        Assert.True(events.GetProperty("length").GetInt64() >= 2);
        Assert.Contains(health.GetProperty("consumerGroups").EnumerateArray(), g => g.GetProperty("group").GetString() == "agents");
        Assert.True(health.GetProperty("hubConnections").GetInt32() >= 1);

        using var cheap = await api.Client.GetAsync("/dashboard/health");
        Assert.Equal(HttpStatusCode.OK, cheap.StatusCode);
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Service_health_endpoints_answer(string path)
    {
        using var response = await api.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
