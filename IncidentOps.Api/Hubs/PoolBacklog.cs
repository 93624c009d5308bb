using System.Diagnostics;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Holds the frame handout back while the thread pool's queue is long. Each connection's send is a work item in that
/// queue when it subscribed with <c>SubscribeFrames</c> (SignalR's WebSocket transport reads its pipe on the pool; a
/// <c>WatchFrames</c> connection's send runs on the lane itself, <see cref="FrameSocket"/>), and so is every continuation of intake's Redis
/// replies: a pass that queued its 5,000 sends at once put each POST behind all of them (POST → appended p50 49–61 ms at
/// 5,000 screens against 14–20 with the sends queued elsewhere; bench/README.md, "Fan-out, session 27"). A lane that finds
/// more than the limit waiting sleeps a millisecond at a time until the pool has run them below it: the sends still go out
/// in the pass's order and as fast as the pool runs them, and what else is queued meanwhile waits behind at most the
/// limit. The pool's queue is the runtime's; its length is the one signal of it there is (hence this, not a library).
/// </summary>
public sealed class PoolBacklog(int limit, Func<long> pending)
{
    /// <summary>Against the process's thread pool: every work item waiting in its queues.</summary>
    public PoolBacklog(int limit)
        : this(limit, static () => ThreadPool.PendingWorkItemCount)
    {
    }

    /// <summary>
    /// Returns once at most the limit wait in the pool's queue, or once <paramref name="budget"/> has passed since
    /// <paramref name="since"/> (a <see cref="Stopwatch"/> timestamp, the pass's start) whatever the queue: a pool kept busy
    /// by something else holds a pass back only so long. A limit of 0 never waits.
    /// </summary>
    /// <returns>Whether it waited.</returns>
    public bool WaitBelow(long since, TimeSpan budget)
    {
        if (limit <= 0 || pending() <= limit)
        {
            return false;
        }

        while (Stopwatch.GetElapsedTime(since) < budget)
        {
            // A lane is a thread of its own (HandoutLanes): it may block, and a millisecond is ~50 sends of the pool's work.
            Thread.Sleep(1);
            if (pending() <= limit)
            {
                break;
            }
        }

        return true;
    }
}
