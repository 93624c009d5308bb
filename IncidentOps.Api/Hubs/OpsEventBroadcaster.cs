using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Tails <c>ops:events</c> (every API replica tails it itself: the stream is the backplane) and hands what arrived to the
/// live subscriptions of this replica's hub as frames, serialized once for the many that get the same ones.
/// <para>
/// Two threads of their own. The tail reads the log as it grows, a page at a time (letting
/// <see cref="HubLimitOptions.BatchMilliseconds"/> of events gather after a quiet spell), into
/// <see cref="RecentEvents"/>. The handout goes round the connections, and each connection, when its turn comes, is handed
/// in one frame (or a few, past <see cref="HubLimitOptions.MaxFrameBytes"/>) everything read since its previous turn
/// (the connections of a turn, <see cref="HubLimitOptions.HandoutTurnConnections"/>, as of one read). An
/// event thus waits at most one round for every connection. Before session 33 one frame was cut for all at the start of
/// each round, so an event read just after a cut waited for that round to end and then for a round of its own: two rounds
/// at 5,000 screens (bench/README.md, "Fan-out, session 33"). Sends are as few as before: one per connection per round.
/// </para>
/// <para>
/// A steady flow is paced by <see cref="HubLimitOptions.MinFrameIntervalMilliseconds"/>: a round starts no sooner than that
/// after the previous one, so thousands of screens get fewer, bigger frames (each write costs about the same whatever its
/// size). The first events after a quiet spell go at once, and a backlog (the tail reading full pages) is not paced.
/// </para>
/// <para>
/// Handing a frame to a waiting connection writes it right there (see <see cref="Subscribe"/>): for a screen that watches
/// with <see cref="OpsHub.WatchFrames"/> that write is the WebSocket send itself (<see cref="FrameSocket"/>, session 32), for
/// <see cref="OpsHub.SubscribeFrames"/> a write to SignalR's pipe. A round runs in <see cref="HubLimitOptions.HandoutLanes"/>
/// slices at once (<see cref="HandoutLanes"/>, session 27), no faster than the thread pool sends (<see cref="PoolBacklog"/>,
/// session 28).
/// </para>
/// <para>
/// A connection still writing its previous frame is skipped, and gets everything at its next turn instead: a slow screen
/// never slows the others, and costs no memory but the shared events. One skipped more than
/// <see cref="HubLimitOptions.MaxQueuedFrames"/> turns in a row, or further behind than
/// <see cref="HubLimitOptions.MaxReplayEvents"/> events, is ended with a resync.
/// </para>
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

    // Subscribing reads the head, reading appends, and trimming reads every subscription's cursor, under this: a
    // subscription made while the handout trims is either counted in the trim or starts after what it let go.
    private readonly Lock _cursors = new();
    private readonly RecentEvents _recent = new(options.Value.MaxReplayEvents, options.Value.MaxFrameBytes);
    private readonly AutoResetEvent _read = new(false);
    private readonly List<Subscription> _round = [];
    private readonly PoolBacklog _backlog = new(options.Value.HandoutPoolBacklog);
    private List<string?> _unbroadcast = [];
    private volatile bool _behind;

    public Subscription Subscribe()
    {
        // Synchronous continuations: queueing a frame runs the waiting connection's write right there, so a round reaches
        // the connections in one pass of the handout's lanes instead of a thread-pool wake-up each (WatchFrames: the socket
        // send itself; SubscribeFrames: a write to SignalR's pipe, whose transport sends on the pool). A write that has to
        // wait (a slow client) resumes on the pool.
        var channel = Channel.CreateBounded<OpsFrame>(new BoundedChannelOptions(options.Value.MaxQueuedFrames)
        {
            SingleReader = true,
            SingleWriter = true,
            AllowSynchronousContinuations = true,
        });
        Subscription? subscription = null;
        subscription = new Subscription(channel, () => _subscribers.TryRemove(subscription!.Id, out _));
        lock (_cursors)
        {
            subscription.Through = _recent.Head; // null before the tail starts: it sets it then
            _subscribers[subscription.Id] = subscription;
        }

        _read.Set(); // a new subscription may be behind already: the handout looks
        return subscription;
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Where the tail starts is read before the host takes requests (the tail's own thread starts later), so every event
        // appended after start-up goes out live; without Redis the tail reads it when it can (a subscription's replay covers
        // the gap either way).
        try
        {
            StartAt(StreamId.Parse(await log.LastIdAsync()));
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
        {
            ApiLog.TailFailed(logger, ex);
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>
    /// The tail and the handout each run on a thread of their own: the tail's Redis replies resume on its thread
    /// (<see cref="DedicatedLoop"/>) and its waits block there, and the handout's writes run inline on its thread and its
    /// lanes; neither queues behind the connections' work items in the thread pool.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var handout = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        new Thread(() =>
        {
            try
            {
                HandOut(stoppingToken);
                handout.TrySetResult();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                handout.TrySetResult();
            }
            catch (Exception ex)
            {
                handout.TrySetException(ex);
            }
        })
        { IsBackground = true, Name = "ops-events-handout" }.Start();
        return Task.WhenAll(DedicatedLoop.Run("ops-events-tail", () => TailAsync(stoppingToken)), handout.Task);
    }

    private async Task TailAsync(CancellationToken stoppingToken)
    {
        var batch = TimeSpan.FromMilliseconds(options.Value.BatchMilliseconds);
        var pageSize = options.Value.MaxFrameEvents;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (_recent.Head is null)
                {
                    StartAt(StreamId.Parse(await log.LastIdAsync()));
                }

                var ticket = signal.Ticket(RedisKeys.OpsEvents);
                var events = await log.ReadTracedAfterAsync(_recent.Head!.Value, pageSize);
                _behind = events.Count == pageSize;
                if (events.Count > 0)
                {
                    ApiTelemetry.RecordFrameLag(time.GetUtcNow() - DateTimeOffset.FromUnixTimeMilliseconds(StreamId.Parse(events[0].Event.Id).Milliseconds));
                    lock (_cursors)
                    {
                        _recent.Append([.. events.Select(e => e.Event)]);
                        _unbroadcast.AddRange(events.Select(e => e.TraceParent));
                    }

                    _read.Set();
                }

                if (!_behind && ticket.Wait(PollTimeout, stoppingToken) && batch > TimeSpan.Zero)
                {
                    // Caught up: wait for the next append, then let a few ms of events gather.
                    Pause(batch, stoppingToken);
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

    private void StartAt(StreamId start)
    {
        lock (_cursors)
        {
            if (_recent.Head is not null)
            {
                return;
            }

            _recent.Start(start);
            foreach (var subscription in _subscribers.Values)
            {
                subscription.Through ??= start;
            }
        }
    }

    /// <summary>Rounds of the connections while any is behind what the tail has read; waits for the tail otherwise.</summary>
    private void HandOut(CancellationToken stoppingToken)
    {
        var pacing = new FramePacing(TimeSpan.FromMilliseconds(options.Value.MinFrameIntervalMilliseconds));
        var clock = Stopwatch.StartNew();
        while (!stoppingToken.IsCancellationRequested)
        {
            _round.Clear(); // no subscription held past its round
            _round.AddRange(_subscribers.Values);
            if (!AnyBehind())
            {
                Broadcast(0)?.Dispose(); // read with nobody to hand it to
                Trim();
                WaitHandle.WaitAny([_read, stoppingToken.WaitHandle], PollTimeout);
                continue;
            }

            // Paced: no sooner than the interval after the previous round (at once after a quiet spell). A backlog is not
            // paced. What the tail reads during the wait goes out in this round.
            var pace = _behind ? TimeSpan.Zero : pacing.WaitAt(clock.Elapsed);
            if (pace > TimeSpan.Zero)
            {
                Pause(pace, stoppingToken);
            }

            pacing.Cut(clock.Elapsed);
            Hand();
            Trim();
        }
    }

    private bool AnyBehind()
    {
        if (_recent.Head is not { } head)
        {
            return false;
        }

        foreach (var subscription in _round)
        {
            if (subscription.Through is not { } through || through < head)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// One round: each subscription is handed everything read since its previous turn, as of the snapshot that was current
    /// when the first lane reached its turn, in slices at once (<see cref="HandoutLanes"/>).
    /// </summary>
    private void Hand()
    {
        using var broadcast = Broadcast(_round.Count);

        // Each queued frame becomes a send in the thread pool's queue for a SubscribeFrames connection: the lanes hand out no
        // faster than the pool sends, so intake's work queued meanwhile is not behind a whole round (PoolBacklog), for at
        // most MaxFrameWait in a round.
        var lanes = _lanes.Value;
        var started = Stopwatch.GetTimestamp();
        var holdAtMost = TimeSpan.FromMilliseconds(options.Value.MaxFrameWaitMilliseconds);

        // Each turn's connections are handed the snapshot of the log that is current when the first lane reaches the turn,
        // so they share their cursor now and next round, and the frames for it are built once per turn. A snapshot per
        // connection built frames for nearly every connection at 5,000 screens (a serialization each), and the round that
        // took 0.25 s took 38 s within a minute.
        var turn = options.Value.HandoutTurnConnections > 0 ? options.Value.HandoutTurnConnections : Math.Max(1, _round.Count);
        var turns = new RecentEvents.Snapshot?[(_round.Count + turn - 1) / turn];
        lanes.Run(lane =>
        {
            for (var (i, n) = (lane, 0); i < _round.Count; i += lanes.Count, n++)
            {
                if (n % BacklogCheckEvery == 0)
                {
                    _backlog.WaitBelow(started, holdAtMost);
                }

                var current = _recent.Current!;
                var recent = turns[i / turn] ?? Interlocked.CompareExchange(ref turns[i / turn], current, null) ?? current;
                Queue(_round[i], recent);
            }
        });

        ApiTelemetry.RecordFrameHandout(Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// The span of the round that hands out newly read events (or of their read, with nobody subscribed): their broadcast,
    /// in the traces of the requests that appended them.
    /// </summary>
    private Activity? Broadcast(int connections)
    {
        List<string?> traceparents;
        lock (_cursors)
        {
            if (_unbroadcast.Count == 0)
            {
                return null;
            }

            (traceparents, _unbroadcast) = (_unbroadcast, []);
        }

        return ApiTelemetry.StartBroadcast(traceparents, traceparents.Count, connections);
    }

    private void Queue(Subscription subscription, RecentEvents.Snapshot recent)
    {
        if (subscription.Through is not { } through || through >= recent.Head)
        {
            return; // has everything
        }

        if (!subscription.KeepingUp)
        {
            // Still writing (or not yet reading) its previous frame: everything goes at its next turn instead. Nothing is
            // built for it meanwhile (a stalled screen's frames would grow every round).
            if (through < recent.Dropped)
            {
                Resync(subscription, $"this connection fell more than {options.Value.MaxReplayEvents} events behind");
            }
            else if (++subscription.Skipped > options.Value.MaxQueuedFrames)
            {
                Resync(subscription, $"this connection fell more than {options.Value.MaxQueuedFrames} frames behind");
            }

            return;
        }

        if (recent.FramesAfter(through) is not { } toSend)
        {
            Resync(subscription, $"this connection fell more than {options.Value.MaxReplayEvents} events behind");
            return;
        }

        foreach (var frame in toSend)
        {
            if (!subscription.Writer.TryWrite(frame))
            {
                Resync(subscription, $"this connection fell more than {options.Value.MaxQueuedFrames} frames behind");
                return;
            }
        }

        subscription.Skipped = 0;
        subscription.Through = recent.Head;
    }

    private void Resync(Subscription subscription, string why)
    {
        subscription.Dispose();
        if (subscription.Ended)
        {
            return; // closed by its connection, not behind: nothing to tell it
        }

        // Dropping frames silently would break "nothing missed": end the subscription with a resync instead; the client
        // reloads the state and subscribes from its lastEventId.
        subscription.Writer.TryComplete(new HubException($"{OpsHub.ResyncMessage} {why}; reload the state and subscribe from its lastEventId."));
        ApiTelemetry.RecordResync("overflow");
        ApiLog.SubscriberOverflow(logger, subscription.Id);
    }

    /// <summary>Lets go of the events every subscription has been handed (and of the oldest beyond the limit).</summary>
    private void Trim()
    {
        lock (_cursors)
        {
            if (_recent.Head is not { } handedToAll)
            {
                return;
            }

            foreach (var subscription in _subscribers.Values)
            {
                if (subscription.Through is { } through && through < handedToAll)
                {
                    handedToAll = through;
                }
            }

            _recent.Trim(handedToAll);
        }
    }

    /// <summary>A timed wait on the tail's or the handout's own thread (a timer's callback would queue behind the connections' work items).</summary>
    private static void Pause(TimeSpan duration, CancellationToken stoppingToken)
    {
        stoppingToken.WaitHandle.WaitOne(duration);
        stoppingToken.ThrowIfCancellationRequested();
    }

    public override void Dispose()
    {
        base.Dispose();
        _read.Dispose();
        if (_lanes.IsValueCreated)
        {
            _lanes.Value.Dispose();
        }
    }
}
