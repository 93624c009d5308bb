using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using IncidentOps.Api.Access;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.SignalR;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// The live hub. A client calls the streaming method <see cref="Subscribe"/> with the id of the last
/// event it saw (or null for "from now on") and receives, in order and once each, every event after it:
/// first the replay from the log, then the live events.
/// </summary>
public sealed class OpsHub(
    OpsEventLog log, OpsEventBroadcaster broadcaster, HubConnectionCounter counter, HubIdentityLimits limits,
    Microsoft.Extensions.Options.IOptions<HubLimitOptions> options) : Hub
{
    public const string Path = "/hubs/ops";

    /// <summary>The start of the message a client gets when it must reload state before subscribing again.</summary>
    public const string ResyncMessage = "resync:";

    /// <summary>The client method <see cref="WatchFrames"/> invokes with each frame.</summary>
    public const string FramesTarget = "frames";
    private const int ReplayPage = 500;
    private const string CountedKey = "incidentops:counted";

    private string Identity => Context.User?.LimitKey() ?? Context.ConnectionId;

    public async IAsyncEnumerable<OpsEvent> Subscribe(string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in SubscribeFrames(afterId, cancellationToken))
        {
            foreach (var evt in frame.Events)
            {
                yield return evt;
            }
        }
    }

    /// <summary>
    /// As <see cref="Subscribe"/>, but several events per message (a JSON array, oldest first), serialized once for the
    /// screens of a turn, in their screen form (<see cref="ScreenEvents"/>: each agent's latest change within the frame, and only the
    /// fields the live screens read; details over REST). The dashboards use <see cref="WatchFrames"/>, the same frames sent cheaper.
    /// </summary>
    public async IAsyncEnumerable<OpsFrame> SubscribeFrames(string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var frame in FramesAsync(afterId, cancellationToken))
        {
            yield return frame;
        }
    }

    /// <summary>
    /// As <see cref="SubscribeFrames"/>, but each frame arrives as an invocation of the client's <see cref="FramesTarget"/>
    /// handler, written straight to the connection's WebSocket by the thread that hands frames out (<see cref="FrameSocket"/>;
    /// on other transports through SignalR). The stream itself carries no items: it stays open while frames flow, and ends
    /// with the resync error or when the client disposes of it. What the dashboards use.
    /// </summary>
    public async IAsyncEnumerable<OpsFrame> WatchFrames(string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var socket = Context.GetHttpContext().FrameSocketOf();
        await foreach (var frame in FramesAsync(afterId, cancellationToken))
        {
            if (socket is null)
            {
                await Clients.Caller.SendAsync(FramesTarget, frame, cancellationToken);
                continue;
            }

            try
            {
                await socket.SendMessageAsync(frame.Invocation);
            }
            catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
            {
                yield break; // the connection is closing: SignalR ends the stream with it
            }
        }
    }

    /// <summary>The frames after <paramref name="afterId"/>: the replay from the log, then the live ones, each shown on a screen.</summary>
    private async IAsyncEnumerable<OpsFrame> FramesAsync(string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StreamId last;
        if (afterId is null)
        {
            last = default;
        }
        else if (!StreamId.TryParse(afterId, out last))
        {
            throw new HubException($"afterId '{afterId}' is not an event id (expected '<milliseconds>-<sequence>').");
        }

        var identity = Identity;
        if (!limits.TryOpenStream(identity))
        {
            throw new HubException($"Too many live subscriptions for this identity (at most {options.Value.MaxStreamsPerIdentity}); close another first.");
        }

        try
        {
            await foreach (var frame in StreamAsync(afterId, last, cancellationToken))
            {
                if (!frame.ShowsNothing)
                {
                    yield return frame;
                }
            }
        }
        finally
        {
            limits.CloseStream(identity);
        }
    }

    private async IAsyncEnumerable<OpsFrame> StreamAsync(string? afterId, StreamId last, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Register for live events before reading the log, so nothing appended in between is lost;
        // anything seen twice is dropped by id below.
        using var subscription = broadcaster.Subscribe();
        if (afterId is null)
        {
            last = StreamId.Parse(await log.LastIdAsync());
        }

        else if (await log.TrimmedAfterAsync(last))
        {
            // Retention trimmed events after the client's cursor: replaying from it would skip them silently.
            ApiTelemetry.RecordResync("trimmed");
            throw new HubException($"{ResyncMessage} events after '{afterId}' are no longer kept (retention); reload the state and subscribe from its lastEventId.");
        }

        var replayed = 0;
        while (true)
        {
            var page = await log.ReadAfterAsync(last, ReplayPage);
            replayed += page.Count;
            if (replayed > options.Value.MaxReplayEvents)
            {
                // Bounded replay: a client this far behind reloads the state (GET /api/v1/incidents gives lastEventId).
                ApiTelemetry.RecordResync("replay_limit");
                throw new HubException($"{ResyncMessage} more than {options.Value.MaxReplayEvents} events after '{afterId}'; reload the state and subscribe from its lastEventId.");
            }

            if (page.Count > 0)
            {
                var frame = new OpsFrame(page);
                last = frame.Last;
                yield return frame;
            }

            if (page.Count < ReplayPage)
            {
                break;
            }
        }

        await foreach (var frame in subscription.ReadAllAsync(cancellationToken))
        {
            if (frame.After(last) is { } fresh)
            {
                last = frame.Last;
                yield return fresh;
            }
        }
    }

    public override Task OnConnectedAsync()
    {
        if (!limits.TryConnect(Identity))
        {
            Context.Abort();
            return Task.CompletedTask;
        }

        Context.Items[CountedKey] = true;
        counter.Connected();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        if (Context.Items.ContainsKey(CountedKey))
        {
            limits.Disconnect(Identity);
            counter.Disconnected();
        }

        return base.OnDisconnectedAsync(exception);
    }
}

public sealed class HubConnectionCounter
{
    private int _count;

    public HubConnectionCounter(IMeterFactory meters) =>
        meters.Create(IncidentOpsTelemetry.Api).CreateObservableGauge(
            "incidentops.hub.connections", () => Count, "{connection}", "Live hub connections on this API replica.");

    public int Count => Volatile.Read(ref _count);

    public void Connected() => Interlocked.Increment(ref _count);

    public void Disconnected() => Interlocked.Decrement(ref _count);
}
