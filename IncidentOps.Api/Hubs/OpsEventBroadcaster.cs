using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Tails <c>ops:events</c> (every API replica tails it itself: the stream is the backplane) and hands what arrived to the
/// live subscriptions of this replica's hub as frames, serialized once for all. Frames are adaptive: the next one is cut
/// when the previous one has been handed to every connection that was keeping up (at most
/// <see cref="HubLimitOptions.MaxFrameWaitMilliseconds"/> later), and then carries everything appended meanwhile (at least
/// <see cref="HubLimitOptions.BatchMilliseconds"/> of it). A few screens get a frame every few ms; thousands get bigger
/// frames less often, since each write to a connection costs about the same whatever its size (profile in bench/README.md).
/// With <see cref="HubLimitOptions.MinFrameIntervalMilliseconds"/> a steady flow is also paced: a frame is cut no sooner than
/// that after the previous one and carries everything appended since; the first events after a quiet spell go at once, and
/// a backlog (a full page read) is not paced, so a burst goes out a page per round as without pacing.
/// The tail runs on a thread of its own, and queueing a frame writes it to each waiting connection's pipe right there (see
/// <see cref="Subscribe"/>): one pass per frame, where each connection used to be a work item of its own in the thread
/// pool's queue, in front of the tail's next Redis reply (bench/README.md, "Fan-out, session 12"). For a screen that
/// watches with <see cref="OpsHub.WatchFrames"/> that write is the WebSocket send itself (<see cref="FrameSocket"/>), with
/// no work item left in the pool (session 32). The pass runs in
/// <see cref="HubLimitOptions.HandoutLanes"/> slices at once (<see cref="HandoutLanes"/>, session 27), no faster than the
/// thread pool sends (<see cref="PoolBacklog"/>, session 28).
/// Each subscription queues at most <see cref="HubLimitOptions.MaxQueuedFrames"/> frames (references to the shared ones);
/// one further behind is ended with a resync instead of holding memory for it, and one with a frame still queued is not
/// waited for, so a slow screen never slows the others.
/// </summary>
public sealed class OpsEventBroadcaster(
    OpsEventLog log, StreamSignal signal, IOptions<HubLimitOptions> options, TimeProvider time, ILogger<OpsEventBroadcaster> logger) : BackgroundService
{
    /// <summary>Connections a lane hands a frame to between two looks at the pool's queue.</summary>
    private const int BacklogCheckEvery = 16;

    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Guid, Subscription> _subscribers = new();
    private readonly Lazy<HandoutLanes> _lanes = new(() => new HandoutLanes(
        options.Value.HandoutLanes > 0 ? options.Value.HandoutLanes : 2 * Environment.ProcessorCount));
    private readonly List<KeyValuePair<Guid, Subscription>> _passSnapshot = [];
    private readonly PoolBacklog _backlog = new(options.Value.HandoutPoolBacklog);
    private StreamId? _startAfter;

    public Subscription Subscribe()
    {
        var id = Guid.NewGuid();
        // Synchronous continuations: queueing a frame runs the waiting connection's write right there, so a frame reaches
        // 5,000 connections in one pass of the handout's lanes instead of 5,000 thread-pool wake-ups (WatchFrames: the
        // socket send itself; SubscribeFrames: a write to SignalR's pipe, whose transport sends on the pool). A write that
        // has to wait (a slow client) resumes on the pool.
        var channel = Channel.CreateBounded<QueuedFrame>(new BoundedChannelOptions(options.Value.MaxQueuedFrames)
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = true,
        });
        var subscription = new Subscription(channel, () => _subscribers.TryRemove(id, out _));
        _subscribers[id] = subscription;
        return subscription;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Where the tail starts is read before the host takes requests (the tail's own thread starts later), so every event
        // appended after start-up goes out live and the first frame's pacing counts from it; without Redis the tail reads it
        // when it can (a subscription's replay covers the gap either way).
        try
        {
            _startAfter = StreamId.Parse(await log.LastIdAsync());
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
        {
            ApiLog.TailFailed(logger, ex);
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// The tail runs on a thread of its own (<see cref="DedicatedLoop"/>): its Redis replies resume there and its waits block
    /// there, so neither queues behind the connections' work items in the thread pool.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DedicatedLoop.Run("ops-events-tail", () => TailAsync(stoppingToken));

    private async Task TailAsync(CancellationToken stoppingToken)
    {
        var last = _startAfter;
        var batch = TimeSpan.FromMilliseconds(options.Value.BatchMilliseconds);
        var pageSize = options.Value.MaxFrameEvents;
        var frameWait = TimeSpan.FromMilliseconds(options.Value.MaxFrameWaitMilliseconds);
        var pacing = new FramePacing(TimeSpan.FromMilliseconds(options.Value.MinFrameIntervalMilliseconds));
        var behind = false;
        var clock = Stopwatch.StartNew();
        FrameHandout? previous = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                last ??= StreamId.Parse(await log.LastIdAsync());
                var ticket = signal.Ticket(RedisKeys.OpsEvents);

                // Adaptive frames: what is appended while the previous frame reaches the connections goes into the next one.
                // A blocking wait: the handout's completion wakes this thread directly, not through the thread pool's queue.
                if (previous is not null)
                {
                    if (!previous.Done.IsCompleted && frameWait > TimeSpan.Zero)
                    {
                        // False after the wait: a connection that was keeping up stopped reading, the next frame goes without it.
                        previous.Done.Wait(frameWait, stoppingToken);
                    }

                    ApiTelemetry.RecordFrameHandout(previous.Took, previous.Done.IsCompleted);
                    previous = null;
                }

                // Paced: no sooner than the interval after the previous cut (at once after a quiet spell). A backlog is not
                // paced: reading several pages into one cut queued them on 5,000 connections at once, and the buffers those
                // writes rented at the same moment raised the peak memory and stalled intake (bench/README.md, session 10).
                var pace = behind ? TimeSpan.Zero : pacing.WaitAt(clock.Elapsed);
                if (pace > TimeSpan.Zero)
                {
                    Pause(pace, stoppingToken);
                }

                var events = await log.ReadTracedAfterAsync(last.Value, pageSize);
                behind = events.Count == pageSize;
                if (events.Count > 0)
                {
                    ApiTelemetry.RecordFrameLag(time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(StreamId.Parse(events[0].Event.Id).Milliseconds));
                    pacing.Cut(clock.Elapsed);
                    var frames = OpsFrame.Split([.. events.Select(e => e.Event)], options.Value.MaxFrameBytes);
                    using (ApiTelemetry.StartBroadcast(events.Select(e => e.TraceParent), events.Count, _subscribers.Count))
                    {
                        // The connections' writes run inline here and must not resume on this thread afterwards.
                        previous = DedicatedLoop.Without(() => Publish(frames));
                    }

                    last = frames[^1].Last;
                }

                if (!behind)
                {
                    // Caught up: wait for the next append, then let a few ms of events gather into one frame.
                    if (ticket.Wait(PollTimeout, stoppingToken) && batch > TimeSpan.Zero)
                    {
                        Pause(batch, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
            {
                ApiLog.TailFailed(logger, ex);
                Pause(PollTimeout, stoppingToken);
            }
        }
    }

    /// <summary>A timed wait on the tail's own thread (a timer's callback would queue behind the connections' work items).</summary>
    private static void Pause(TimeSpan duration, CancellationToken stoppingToken)
    {
        stoppingToken.WaitHandle.WaitOne(duration);
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Queues the frames (one page of the log) for every subscription, in slices at once (<see cref="HandoutLanes"/>); the
    /// handout is done when the connections that were keeping up have the last of them. Each subscription is in one slice
    /// per pass, and a pass ends before the next begins, so every connection still gets the frames in order.
    /// </summary>
    private FrameHandout Publish(IReadOnlyList<OpsFrame> frames)
    {
        var handout = new FrameHandout();
        // One list kept for every pass (only the tail's thread publishes): a fresh array of 5,000 entries per frame would be
        // a large-object allocation several times a second.
        var subscribers = _passSnapshot;
        subscribers.Clear();
        foreach (var entry in _subscribers)
        {
            subscribers.Add(entry);
        }

        // Each queued frame becomes a send in the thread pool's queue: the lanes hand out no faster than the pool sends, so
        // intake's work queued meanwhile is not behind a whole pass (PoolBacklog), for at most MaxFrameWait in a pass.
        var lanes = _lanes.Value;
        var passStarted = Stopwatch.GetTimestamp();
        var holdAtMost = TimeSpan.FromMilliseconds(options.Value.MaxFrameWaitMilliseconds);
        lanes.Run(lane =>
        {
            for (var (i, n) = (lane, 0); i < subscribers.Count; i += lanes.Count, n++)
            {
                if (n % BacklogCheckEvery == 0)
                {
                    _backlog.WaitBelow(passStarted, holdAtMost);
                }

                Queue(subscribers[i].Key, subscribers[i].Value, frames, handout);
            }
        });

        subscribers.Clear(); // no subscription held past the pass
        handout.Handed();
        return handout;
    }

    private void Queue(Guid id, Subscription subscription, IReadOnlyList<OpsFrame> frames, FrameHandout handout)
    {
        // A connection still writing or with a frame queued is behind: the next frame does not wait for it (its queue
        // is bounded); one that stops reading holds up at most one frame.
        var keepingUp = subscription.KeepingUp;
        var channel = subscription.Writer;
        if (keepingUp)
        {
            handout.Expect(); // before the write: the connection may take the frame at once
        }

        var queued = 0;
        while (queued < frames.Count && channel.TryWrite(new QueuedFrame(frames[queued], keepingUp && queued == frames.Count - 1 ? handout : null)))
        {
            queued++;
        }

        if (queued < frames.Count)
        {
            if (keepingUp)
            {
                handout.Handed(); // the frame that carried the handout was not queued
            }

            if (subscription.Ended)
            {
                _subscribers.TryRemove(id, out _); // closed by its connection, not behind: nothing to tell it
                return;
            }

            // Dropping a frame silently would break "nothing missed": end the subscription with a resync instead;
            // the client reloads the state and subscribes from its lastEventId.
            channel.TryComplete(new HubException(
                $"{OpsHub.ResyncMessage} this connection fell more than {options.Value.MaxQueuedFrames} frames behind; reload the state and subscribe from its lastEventId."));
            _subscribers.TryRemove(id, out _);
            ApiTelemetry.RecordResync("overflow");
            ApiLog.SubscriberOverflow(logger, id);
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        if (_lanes.IsValueCreated)
        {
            _lanes.Value.Dispose();
        }
    }
}

/// <summary>One connection's queue of live frames; reading the next frame reports the previous one handed out.</summary>
public sealed class Subscription(Channel<QueuedFrame> channel, Action unsubscribe) : IDisposable
{
    private readonly ChannelReader<QueuedFrame> _reader = channel.Reader;
    private FrameHandout? _current;
    private volatile bool _writing;
    private volatile bool _ended;

    /// <summary>Where the broadcaster queues frames.</summary>
    public ChannelWriter<QueuedFrame> Writer => channel.Writer;

    /// <summary>Nothing queued and no frame being written: the connection has sent everything it was given.</summary>
    public bool KeepingUp => !_writing && _reader.Count == 0;

    /// <summary>Ended by its connection (the stream cancelled): the queue is closed, and a frame it refuses is no overflow.</summary>
    public bool Ended => _ended;

    /// <summary>
    /// The live frames in order. A frame counts as handed out when the next one is asked for: SignalR asks once it has
    /// written the previous item to the connection.
    /// </summary>
    public async IAsyncEnumerable<OpsFrame> ReadAllAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The wait takes no token: with one the channel allocates a waiter and a token registration for every wait, five
        // times a second per screen, a third of the API's allocations at 5,000 screens (bench/README.md, "Fan-out, session
        // 30"); without one it reuses its single waiter. The token is registered once instead, and ends the wait by closing
        // the queue with the cancellation.
        using var ending = cancellationToken.UnsafeRegister(static (state, token) =>
        {
            var subscription = (Subscription)state!;
            subscription._ended = true;
            subscription.Writer.TryComplete(new OperationCanceledException(token));
        }, this);
        while (await _reader.WaitToReadAsync(CancellationToken.None))
        {
            cancellationToken.ThrowIfCancellationRequested();
            while (_reader.TryRead(out var queued))
            {
                _current = queued.Handout;
                _writing = true;
                yield return queued.Frame;
                _writing = false;
                Interlocked.Exchange(ref _current, null)?.Handed();
            }
        }
    }

    public void Dispose()
    {
        unsubscribe();

        // Frames this connection will never send must not hold up the next frame for the others.
        Interlocked.Exchange(ref _current, null)?.Handed();
        while (_reader.TryRead(out var queued))
        {
            queued.Handout?.Handed();
        }
    }
}
