using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using IncidentOps.Api.Hubs;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.SignalR.Client;

namespace IncidentOps.Api.Tests;

/// <summary>
/// The hub's fan-out at several screens: the tail runs on a thread of its own, and a frame is written to every waiting
/// connection in one pass (bench/README.md, "Fan-out, session 12"), made here in three lanes at once (ApiFixture,
/// session 27).
/// </summary>
public class HubFanoutTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    /// <summary>
    /// Frames as stream items (SubscribeFrames), or as invocations of the screen's <c>frames</c> handler (WatchFrames): over
    /// WebSockets written to the hub's socket of its own by the handout, over long polling sent through SignalR.
    /// </summary>
    [Theory]
    [InlineData(nameof(OpsHub.SubscribeFrames), false)]
    [InlineData(nameof(OpsHub.WatchFrames), false)]
    [InlineData(nameof(OpsHub.WatchFrames), true)]
    public async Task Every_screen_gets_every_event_once_and_in_order_and_one_that_leaves_does_not_hold_up_the_others(string method, bool webSockets)
    {
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents");
        var seenUpTo = list.GetProperty("lastEventId").GetString() ?? "0-0";
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var screens = new List<(HubConnection Hub, Channel<JsonElement> Frames, List<JsonElement> Received)>();
        for (var i = 0; i < 12; i++)
        {
            var hub = webSockets ? await api.WebSocketHubAsync() : api.Hub();
            var frames = Channel.CreateUnbounded<JsonElement>();
            hub.On<JsonElement>(OpsHub.FramesTarget, frame => frames.Writer.TryWrite(frame));
            await hub.StartAsync(cancel.Token);
            _ = StreamPump.PumpAsync(hub.StreamAsync<JsonElement>(method, seenUpTo, cancel.Token), frames.Writer);
            screens.Add((hub, frames, []));
        }

        try
        {
            var first = await OpenAsync("fanout-a", 10);
            foreach (var screen in screens)
            {
                await ReadUntilOpenedAsync(screen.Frames.Reader, screen.Received, first, cancel.Token);
            }

            // One screen closes between two storms of alerts: its queue is dropped, the frames after it go on to the rest.
            var (leaver, _, _) = screens[^1];
            screens.RemoveAt(screens.Count - 1);
            await leaver.DisposeAsync();
            var second = await OpenAsync("fanout-b", 10);
            foreach (var (_, frames, received) in screens)
            {
                await ReadUntilOpenedAsync(frames.Reader, received, second, cancel.Token);
                var ids = received.Select(e => e.GetProperty("id").GetString()!).ToList();
                Assert.Equal(ids.Distinct().Count(), ids.Count);
                Assert.Equal(ids.OrderBy(StreamId.Parse), ids);
            }
        }
        finally
        {
            await cancel.CancelAsync();
            foreach (var (hub, _, _) in screens)
            {
                await hub.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_tails_awaits_resume_on_its_own_thread_and_the_connections_writes_do_not()
    {
        var loopThread = 0;
        var resumed = new List<(int Thread, bool Pool)>();
        (int Thread, bool Pool) outside = default;
        var loop = DedicatedLoop.Run("tail-test", async () =>
        {
            loopThread = Environment.CurrentManagedThreadId;
            for (var i = 0; i < 3; i++)
            {
                // A reply completed on a pool thread (as Redis replies are): the loop goes on on its own thread, not queued
                // in the thread pool behind the connections' work items.
                await Task.Run(() => i);
                resumed.Add((Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread));
            }

            // What runs inline for a connection (its write, run when a frame is queued) resumes in the pool, not on the loop.
            outside = await DedicatedLoop.Without(async () =>
            {
                await Task.Run(() => 0);
                return (Environment.CurrentManagedThreadId, Thread.CurrentThread.IsThreadPoolThread);
            });
            throw new InvalidOperationException("the loop failed");
        });

        // A failed loop is a failed task (the host sees it), not a thread that silently stops.
        await Assert.ThrowsAsync<InvalidOperationException>(() => loop.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(3, resumed.Count);
        Assert.All(resumed, r => Assert.Equal((loopThread, false), r));
        Assert.NotEqual(loopThread, outside.Thread);
        Assert.True(outside.Pool);
    }

    private async Task<HashSet<string>> OpenAsync(string prefix, int count) =>
        (await Task.WhenAll(Enumerable.Range(0, count).Select(i => api.PostAsync(ApiFixture.Trigger($"{prefix}-{i}-{Guid.NewGuid():N}")))))
            .Select(r => r.GetProperty("incidentId").GetString()!).ToHashSet();

    private static async Task ReadUntilOpenedAsync(ChannelReader<JsonElement> frames, List<JsonElement> received, HashSet<string> incidents, CancellationToken cancellationToken)
    {
        while (!incidents.IsSubsetOf(received.Where(e => e.GetProperty("type").GetString() == "incident.opened").Select(e => e.GetProperty("incidentId").GetString()!)))
        {
            try
            {
                received.AddRange((await frames.ReadAsync(cancellationToken)).EnumerateArray());
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"No frame within the deadline; {received.Count} events received so far");
            }
        }
    }
}
