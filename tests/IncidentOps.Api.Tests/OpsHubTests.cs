using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using IncidentOps.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace IncidentOps.Api.Tests;

public class OpsHubTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_subscriber_gets_the_events_it_missed_then_live_ones_in_order_and_once_each()
    {
        // Something happened before this client connected.
        var missed = await api.PostAsync(ApiFixture.Trigger($"missed-{Guid.NewGuid():N}"));
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        var seenUpTo = list.GetProperty("lastEventId").GetString();
        Assert.NotNull(seenUpTo);

        // The client's last seen id is before the "missed" events: replay must bring them.
        var replayFrom = await EventIdBeforeAsync(missed.GetProperty("incidentId").GetString()!);
        await using var hub = api.Hub();
        await hub.StartAsync();
        var received = Channel.CreateUnbounded<JsonElement>();
        using var cancel = new CancellationTokenSource(Deadline);
        _ = StreamPump.PumpAsync(hub.StreamAsync<JsonElement>("Subscribe", replayFrom, cancel.Token), received.Writer);

        var live = await api.PostAsync(ApiFixture.Trigger($"live-{Guid.NewGuid():N}"));

        var events = await ReadUntilAsync(received.Reader, e => e.GetProperty("incidentId").GetString() == live.GetProperty("incidentId").GetString()
            && e.GetProperty("type").GetString() == "incident.opened");
        var ids = events.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.OrderBy(Core.Storage.StreamId.Parse), ids);
        Assert.Contains(events, e => e.GetProperty("incidentId").GetString() == missed.GetProperty("incidentId").GetString()
            && e.GetProperty("type").GetString() == "incident.opened");
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task Subscribing_with_a_null_id_brings_only_what_happens_from_now_on()
    {
        var before = await api.PostAsync(ApiFixture.Trigger($"before-{Guid.NewGuid():N}"));
        await using var hub = api.Hub();
        await hub.StartAsync();
        var received = Channel.CreateUnbounded<JsonElement>();
        using var cancel = new CancellationTokenSource(Deadline);
        _ = StreamPump.PumpAsync(hub.StreamAsync<JsonElement>("Subscribe", null, cancel.Token), received.Writer);

        // "From now on" starts when the server has registered the subscription, which the client
        // cannot observe: keep opening incidents until one arrives.
        var posted = new List<string>();
        JsonElement? first = null;
        await Eventually.TrueAsync(async () =>
        {
            posted.Add((await api.PostAsync(ApiFixture.Trigger($"after-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString()!);
            while (received.Reader.TryRead(out var evt))
            {
                first ??= evt;
            }

            return first is not null;
        }, Deadline, "a live event after subscribing with no id");

        Assert.Contains(first!.Value.GetProperty("incidentId").GetString(), posted);
        Assert.NotEqual(before.GetProperty("incidentId").GetString(), first.Value.GetProperty("incidentId").GetString());
        await cancel.CancelAsync();
    }

    [Fact]
    public async Task A_malformed_event_id_is_refused_with_a_clear_error()
    {
        await using var hub = api.Hub();
        await hub.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<JsonElement>("Subscribe", "yesterday"))
            {
            }
        });

        Assert.Contains("not an event id", error.Message, StringComparison.Ordinal);
    }

    private async Task<string> EventIdBeforeAsync(string incidentId)
    {
        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}");
        var first = Core.Storage.StreamId.Parse(detail.GetProperty("timeline")[0].GetProperty("id").GetString()!);
        return new Core.Storage.StreamId(first.Milliseconds - 1, 0).ToString();
    }

    private static async Task<List<JsonElement>> ReadUntilAsync(ChannelReader<JsonElement> reader, Func<JsonElement, bool> last)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var events = new List<JsonElement>();
        while (true)
        {
            var evt = await reader.ReadAsync(deadline.Token);
            events.Add(evt);
            if (last(evt))
            {
                return events;
            }
        }
    }
}
