using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using IncidentOps.Api.Hubs;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace IncidentOps.Api.Tests;

public class OpsFrameTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public void A_frame_keeps_only_the_latest_progress_of_each_agent_after_every_other_event_in_order()
    {
        var events = new[]
        {
            Agent("1-0", "inc_a", "detection", "initializing"),
            Agent("1-1", "inc_a", "detection", "processing"),
            Agent("1-2", "inc_b", "detection", "processing"),
            Agent("1-3", "inc_a", "detection", "processing"),
            new OpsEvent("1-4", EventTypes.AlertReceived, "inc_a", DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { })),
            Agent("1-5", "inc_a", "detection", "completed"),
            Agent("1-6", "inc_a", "diagnosis", "processing"),
        };

        var frame = new OpsFrame(events);

        // State changes first (in log order), then the progress steps that are still the latest of their agent.
        Assert.Equal(["1-0", "1-4", "1-5", "1-2", "1-6"], frame.Events.Select(e => e.Id));
        Assert.Equal(StreamId.Parse("1-6"), frame.Last);
        var json = JsonDocument.Parse(frame.Json).RootElement;
        Assert.Equal(frame.Events.Select(e => e.Id), json.EnumerateArray().Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(["1-5", "1-6"], frame.After(StreamId.Parse("1-4"))!.Events.Select(e => e.Id));
        Assert.Equal(["1-4", "1-5", "1-2", "1-6"], frame.After(StreamId.Parse("1-1"))!.Events.Select(e => e.Id));
        Assert.Null(frame.After(StreamId.Parse("1-6")));
    }

    [Fact]
    public void A_page_over_the_frame_byte_limit_goes_out_as_several_frames_in_order_each_within_the_limit()
    {
        var events = Enumerable.Range(0, 40)
            .Select(i => new OpsEvent($"7-{i}", EventTypes.AlertReceived, $"inc_{i}", DateTimeOffset.UnixEpoch,
                JsonSerializer.SerializeToElement(new { summary = new string('x', 400) })))
            .ToList();

        var frames = OpsFrame.Split(events, maxBytes: 4_000);

        Assert.True(frames.Count >= 5, $"{frames.Count} frames for {new OpsFrame(events).Json.Length} bytes");
        Assert.All(frames, f => Assert.True(f.Json.Length <= 4_000, $"a frame of {f.Json.Length} bytes"));
        Assert.Equal(events.Select(e => e.Id), frames.SelectMany(f => f.Events).Select(e => e.Id));
        Assert.Single(OpsFrame.Split(events, maxBytes: 1_000_000));
    }

    [Fact]
    public async Task A_frame_is_handed_out_once_every_connection_counted_in_it_has_asked_for_the_next_or_gone()
    {
        var frame = new OpsFrame([Agent("1-0", "inc_a", "detection", "initializing")]);
        var handout = new FrameHandout();
        var (reading, leaving) = (Channel.CreateUnbounded<QueuedFrame>(), Channel.CreateUnbounded<QueuedFrame>());
        foreach (var channel in new[] { reading, leaving })
        {
            handout.Expect();
            channel.Writer.TryWrite(new QueuedFrame(frame, handout));
        }

        handout.Handed(); // the publisher is done
        using var leaver = new Subscription(leaving, () => { });
        using var reader = new Subscription(reading, () => { });
        await using var frames = reader.ReadAllAsync(CancellationToken.None).GetAsyncEnumerator();

        Assert.True(await frames.MoveNextAsync());
        Assert.Same(frame, frames.Current);
        Assert.False(handout.Done.IsCompleted); // still being written by one connection, and queued for the other
        Assert.False(reader.KeepingUp); // writing: the next frame will not wait for this connection

        reading.Writer.TryWrite(new QueuedFrame(frame, null));
        Assert.True(await frames.MoveNextAsync()); // asking for the next one: the first is written
        Assert.False(handout.Done.IsCompleted);
        Assert.False(leaver.KeepingUp); // a frame queued

        leaver.Dispose(); // a connection that ends never sends its queue: it must not hold the next frame up
        await handout.Done.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Frames_carry_several_events_each_in_order_and_once_each()
    {
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        // An empty log has no last id: subscribe from its start then, not "from now on", or the alerts posted below could
        // be appended before the subscription is registered and never arrive.
        var seenUpTo = list.GetProperty("lastEventId").GetString() ?? "0-0";
        await using var hub = api.Hub();
        await hub.StartAsync();
        var frames = Channel.CreateUnbounded<JsonElement>();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        _ = StreamPump.PumpAsync(hub.StreamAsync<JsonElement>(nameof(OpsHub.SubscribeFrames), seenUpTo, cancel.Token), frames.Writer);

        var opened = (await Task.WhenAll(Enumerable.Range(0, 10).Select(i => api.PostAsync(ApiFixture.Trigger($"frames-{i}-{Guid.NewGuid():N}")))))
            .Select(r => r.GetProperty("incidentId").GetString()!).ToHashSet();

        var received = new List<JsonElement>();
        var frameCount = 0;
        while (!opened.All(id => received.Any(e => e.GetProperty("type").GetString() == "incident.opened" && e.GetProperty("incidentId").GetString() == id)))
        {
            var frame = await ReadAsync(frames.Reader, received, cancel.Token);
            Assert.Equal(JsonValueKind.Array, frame.ValueKind);
            frameCount++;
            received.AddRange(frame.EnumerateArray());
        }

        var ids = received.Select(e => e.GetProperty("id").GetString()!).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);
        Assert.Equal(ids.OrderBy(StreamId.Parse), ids);
        // Each alert appends two events at once (alert.received, incident.opened): they never travel apart.
        Assert.True(frameCount < received.Count, $"{frameCount} frames for {received.Count} events");
        await cancel.CancelAsync();
    }

    private static async Task<JsonElement> ReadAsync(ChannelReader<JsonElement> reader, List<JsonElement> received, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"No frame within the deadline; received so far: {string.Join(", ", received.Select(e => e.GetProperty("type").GetString() + " " + e.GetProperty("incidentId").GetString()))}");
            throw;
        }
    }

    private static OpsEvent Agent(string id, string incident, string phase, string state) =>
        new(id, EventTypes.AgentStateChanged, incident, DateTimeOffset.UnixEpoch, JsonSerializer.SerializeToElement(new { phase, state, progress = 50 }));
}
