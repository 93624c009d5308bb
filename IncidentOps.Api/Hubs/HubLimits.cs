using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Api.Hubs;

/// <summary>What one identity may hold open on the hub, and how far back a subscription may replay (<c>Hub:*</c>).</summary>
public sealed class HubLimitOptions
{
    public const string Section = "Hub";

    /// <summary>Connections one person or API key may hold at once (tabs, screens on a wall).</summary>
    [Range(1, 1_000_000)]
    public int MaxConnectionsPerIdentity { get; set; } = 50;

    /// <summary>Subscriptions one identity may stream at once across its connections.</summary>
    [Range(1, 1_000_000)]
    public int MaxStreamsPerIdentity { get; set; } = 50;

    /// <summary>
    /// Events a subscription replays from the log at most; a client further behind is told to resync (reload the state
    /// and subscribe from its <c>lastEventId</c>) instead of streaming the whole history.
    /// </summary>
    [Range(100, 10_000_000)]
    public int MaxReplayEvents { get; set; } = 20_000;

    /// <summary>After a quiet spell, the tail lets this many ms of events gather before it reads them (0: it reads at once).</summary>
    [Range(0, 1000)]
    public int BatchMilliseconds { get; set; } = 20;

    /// <summary>
    /// How long one round of the handout waits at most, in all, for the thread pool's queue to drain below
    /// <see cref="HandoutPoolBacklog"/> (0: it does not wait).
    /// </summary>
    [Range(0, 10_000)]
    public int MaxFrameWaitMilliseconds { get; set; } = 250;

    /// <summary>
    /// The least time between two live frames to one connection (0: none). While events keep coming, a connection gets a
    /// frame at most this often, carrying everything appended since its previous one: each write to a connection costs
    /// about the same up to ~30 KB, so at thousands of screens fewer, bigger frames cost less, and the cores they leave go
    /// to intake. The first event after a quiet spell of this long goes at once (after <see cref="BatchMilliseconds"/>): a
    /// lone alert on an idle system does not wait for a tick; a backlog is not paced (bench/README.md, "Fan-out, session 27").
    /// </summary>
    [Range(0, 5_000)]
    public int MinFrameIntervalMilliseconds { get; set; } = 200;

    /// <summary>
    /// Threads that hand a frame to the subscriptions at once, each a slice of them (0: two per core). One thread's pass
    /// over 5,000 connections made the last of them wait for all the others, and on a busy machine one thread gets a
    /// thread's share of the cores (bench/README.md, "Fan-out, session 27").
    /// </summary>
    [Range(0, 64)]
    public int HandoutLanes { get; set; }

    /// <summary>
    /// Connections handed their frames as of one read of the log in a round (0: all of them). Each turn's connections share
    /// their cursor into the log, so the frames for it are built once per turn and round; a read per connection built
    /// them for nearly every connection (bench/README.md, "Fan-out, session 33").
    /// </summary>
    [Range(0, 1_000_000)]
    public int HandoutTurnConnections { get; set; } = 500;

    /// <summary>
    /// Work items the thread pool's queue may hold before the handout waits for it to drain (0: it never waits). Each
    /// connection's send is one; intake's Redis replies resume in the same queue, and a pass that queued all its sends at
    /// once made every POST wait behind them. A round waits at most <see cref="MaxFrameWaitMilliseconds"/> in all.
    /// </summary>
    [Range(0, 1_000_000)]
    public int HandoutPoolBacklog { get; set; } = 256;

    /// <summary>
    /// Events one live frame carries at most. Each connection's transport holds a copy of the frame it is writing, so a
    /// burst goes out as several smaller frames rather than one large copy per connection (at 5,000 connections this alone
    /// did not bound the hub's memory: see bench/README.md).
    /// </summary>
    [Range(1, 10_000)]
    public int MaxFrameEvents { get; set; } = 100;

    /// <summary>
    /// JSON bytes one live frame carries at most (a page of <see cref="MaxFrameEvents"/> over it is split): each
    /// connection's transport rents buffers the size of the frame it writes, so small frames keep those in pooled,
    /// short-lived memory rather than on the large object heap.
    /// </summary>
    [Range(1024, 1_048_576)]
    public int MaxFrameBytes { get; set; } = 30_000;

    /// <summary>
    /// Bytes SignalR buffers per connection for sending before the writer waits (its <c>ApplicationMaxBufferSize</c>,
    /// 64 KiB by default). What a connection is behind by beyond this stays as references to shared frames in its queue.
    /// </summary>
    [Range(4096, 16_777_216)]
    public int SendBufferBytes { get; set; } = 32_768;

    /// <summary>
    /// Frames one subscription may have waiting to be sent (references to frames shared by all), and turns in a row it may
    /// be skipped while still writing; a connection further behind is told to resync instead of holding memory. At 200 ms
    /// a round, 512 turns are about 100 s.
    /// </summary>
    public int MaxQueuedFrames { get; set; } = 512;
}

/// <summary>Counts connections and streams per identity; a count over its limit is refused, not queued.</summary>
public sealed class HubIdentityLimits(Microsoft.Extensions.Options.IOptions<HubLimitOptions> options)
{
    private readonly ConcurrentDictionary<string, int> _connections = new();
    private readonly ConcurrentDictionary<string, int> _streams = new();

    public bool TryConnect(string identity) => TryTake(_connections, identity, options.Value.MaxConnectionsPerIdentity);

    public void Disconnect(string identity) => Release(_connections, identity);

    public bool TryOpenStream(string identity) => TryTake(_streams, identity, options.Value.MaxStreamsPerIdentity);

    public void CloseStream(string identity) => Release(_streams, identity);

    private static bool TryTake(ConcurrentDictionary<string, int> counts, string identity, int limit)
    {
        while (true)
        {
            var current = counts.GetOrAdd(identity, 0);
            if (current >= limit)
            {
                return false;
            }

            if (counts.TryUpdate(identity, current + 1, current))
            {
                return true;
            }
        }
    }

    private static void Release(ConcurrentDictionary<string, int> counts, string identity)
    {
        while (counts.TryGetValue(identity, out var current))
        {
            if (current <= 1 ? counts.TryRemove(new KeyValuePair<string, int>(identity, current)) : counts.TryUpdate(identity, current - 1, current))
            {
                return;
            }
        }
    }
}
