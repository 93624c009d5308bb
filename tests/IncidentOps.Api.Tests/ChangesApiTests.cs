using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentOps.Api.Tests;

public class ChangesApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_change_event_is_stored_per_service_listed_newest_first_and_published()
    {
        var service = $"svc-{Guid.NewGuid():N}"[..12];
        var now = DateTimeOffset.UtcNow;
        foreach (var (minutesAgo, summary, kind) in new[] { (50, "Deployed 2.3.0", "deploy"), (5, "Raised pool size to 50", "config") })
        {
            using var response = await api.Client.PostAsJsonAsync("/api/v1/changes", new
            {
                routing_key = ApiFixture.EventsToken,
                payload = new { summary, source = "argo-cd", timestamp = now.AddMinutes(-minutesAgo).ToString("O"), custom_details = new { service, kind, commit = "9f3c2e1" } },
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var listed = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/changes?service={service}&hours=2");
        Assert.Equal(["Raised pool size to 50", "Deployed 2.3.0"], listed.EnumerateArray().Select(c => c.GetProperty("summary").GetString()));
        Assert.Equal(["config", "deploy"], listed.EnumerateArray().Select(c => c.GetProperty("kind").GetString()));
        var events = await api.Redis.Db.StreamRangeAsync(Core.Storage.RedisKeys.OpsEvents, "-", "+", 50, StackExchange.Redis.Order.Descending);
        Assert.Contains(events, e => e["event"].ToString().Contains("change.recorded", StringComparison.Ordinal) && e["event"].ToString().Contains(service, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_change_delivered_twice_is_recorded_once()
    {
        var service = $"svc-{Guid.NewGuid():N}"[..12];
        var body = new
        {
            routing_key = ApiFixture.EventsToken,
            payload = new { summary = "Deployed 7.0.1", source = "argo-cd", timestamp = DateTimeOffset.UtcNow.AddMinutes(-3).ToString("O"), custom_details = new { service, kind = "deploy" } },
        };

        using var first = await api.Client.PostAsJsonAsync("/api/v1/changes", body);
        using var again = await api.Client.PostAsJsonAsync("/api/v1/changes", body);

        var (a, b) = (await first.Content.ReadFromJsonAsync<JsonElement>(), await again.Content.ReadFromJsonAsync<JsonElement>());
        Assert.Equal(("recorded", "duplicate"), (a.GetProperty("outcome").GetString(), b.GetProperty("outcome").GetString()));
        Assert.Equal(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
        Assert.Single((await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/changes?service={service}")).EnumerateArray());
    }

    [Theory]
    [InlineData("""{"routing_key":"test-events-token"}""", "payload")]
    [InlineData("""{"routing_key":"test-events-token","payload":{"source":"ci","custom_details":{"service":"a"}}}""", "payload.summary")]
    [InlineData("""{"routing_key":"test-events-token","payload":{"summary":"x","custom_details":{"kind":"deploy"}}}""", "payload.service")]
    [InlineData("""{"routing_key":"test-events-token","payload":{"summary":"x","service":"a","kind":"party"}}""", "payload.kind")]
    [InlineData("""{"routing_key":"test-events-token","payload":{"summary":"x","service":"a","timestamp":"yesterday"}}""", "payload.timestamp")]
    public async Task Bad_change_events_are_400_problems_naming_the_field(string body, string field)
    {
        using var response = await api.Client.PostAsync("/api/v1/changes", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_needs_a_service_and_a_sane_window()
    {
        using var noService = await api.Client.GetAsync("/api/v1/changes");
        using var badHours = await api.Client.GetAsync("/api/v1/changes?service=a&hours=lots");

        Assert.Equal(HttpStatusCode.BadRequest, noService.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badHours.StatusCode);
        Assert.Contains("hours", await badHours.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
