using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Api.Tests.Payloads;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

public class QuietPeriodTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_mitigated_incident_is_resolved_after_its_quiet_period_and_not_before()
    {
        var service = $"quiet-{Guid.NewGuid():N}"[..16];
        var group = $"{{}}:{{service=\"{service}\"}}";
        using (var fire = await api.Client.PostAsJsonAsync($"/api/v1/alerts/alertmanager/{ApiFixture.AlertmanagerToken}",
            AlertmanagerPayloads.Webhook(group, "firing", AlertmanagerPayloads.Alert("q1", "firing", "X", service))))
        using (var resolve = await api.Client.PostAsJsonAsync($"/api/v1/alerts/alertmanager/{ApiFixture.AlertmanagerToken}",
            AlertmanagerPayloads.Webhook(group, "resolved", AlertmanagerPayloads.Alert("q1", "resolved", "X", service, endsAt: "2026-11-25T10:05:00Z"))))
        {
            Assert.True(resolve.IsSuccessStatusCode);
        }

        var list = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?status=mitigated&service={service}");
        var id = list.GetProperty("items")[0].GetProperty("id").GetString()!;
        var store = new IncidentStore(api.Redis.Connection);
        var clock = new TestClock(DateTimeOffset.UtcNow.AddMinutes(29));
        var options = Options.Create(new CorrelationOptions { AutoResolveAfterMinutes = 30 });
        var resolver = new QuietPeriodResolver(store, new IncidentCommands(store, clock), clock, options);

        Assert.DoesNotContain(id, await resolver.SweepAsync(CancellationToken.None));

        clock.Now = DateTimeOffset.UtcNow.AddMinutes(31);
        Assert.Contains(id, await resolver.SweepAsync(CancellationToken.None));
        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("resolved", detail.GetProperty("incident").GetProperty("status").GetString());
        var resolved = detail.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "incident.resolved");
        Assert.Equal(QuietPeriodResolver.Actor, resolved.GetProperty("data").GetProperty("actor").GetString());
    }
}
