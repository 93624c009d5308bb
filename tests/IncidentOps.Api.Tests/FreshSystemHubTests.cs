using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace IncidentOps.Api.Tests;

/// <summary>
/// A screen opened on a brand-new system (nothing ever happened): its own fixture, so the event log has never been
/// written when the test starts.
/// </summary>
public class FreshSystemHubTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_screen_loaded_before_the_first_event_ever_receives_the_first_incident()
    {
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());
        var seenUpTo = list.GetProperty("lastEventId").GetString();
        Assert.NotNull(seenUpTo);

        // The first incident ever opens between the screen's load and its subscription.
        var opened = (await api.PostAsync(ApiFixture.Trigger($"first-ever-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString();

        await using var hub = api.Hub();
        await hub.StartAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = new List<string>();
        await foreach (var evt in hub.StreamAsync<JsonElement>("Subscribe", seenUpTo, cancel.Token))
        {
            received.Add($"{evt.GetProperty("type").GetString()} {evt.GetProperty("incidentId").GetString()}");
            if (evt.GetProperty("incidentId").GetString() == opened && evt.GetProperty("type").GetString() == "incident.opened")
            {
                break;
            }
        }

        // From the very first event ever appended (the alert that opened it), nothing skipped.
        Assert.Equal($"alert.received {opened}", received[0]);
    }
}
