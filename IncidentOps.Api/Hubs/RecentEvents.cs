using System.Collections.Concurrent;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// The events the broadcaster has read from the log and some subscription has not been handed yet, oldest first, as
/// immutable snapshots: the reader appends, the handout trims, and the lanes that hand frames out read the latest snapshot
/// without a lock. Each connection is handed everything since its own previous turn (<see cref="Snapshot.FramesAfter"/>),
/// so the events are kept until every subscription is past them, and at most <c>maxEvents</c> of them: a subscription
/// further behind than that is told to resync. <see cref="Append"/> and <see cref="Trim"/> are called under the
/// broadcaster's lock.
/// </summary>
public sealed class RecentEvents(int maxEvents, int maxFrameBytes)
{
    private volatile Snapshot? _current;

    /// <summary>The latest snapshot, or null before the tail knows where the log ends.</summary>
    public Snapshot? Current => _current;

    /// <summary>The last event read (where a subscription made now starts), or null before the tail knows where the log ends.</summary>
    public StreamId? Head => _current?.Head;

    /// <summary>Starts at <paramref name="at"/>: the log's end when the tail starts; nothing before it is kept.</summary>
    public void Start(StreamId at) => _current = new Snapshot([], [], at, at, maxFrameBytes);

    /// <summary>Newly read events (after <see cref="Head"/>, in log order).</summary>
    public void Append(IReadOnlyList<OpsEvent> events)
    {
        var current = _current!;
        if (events.Count == 0)
        {
            return;
        }

        var ids = events.Select(e => StreamId.Parse(e.Id)).ToArray();
        _current = new Snapshot([.. current.Events, .. events], [.. current.Ids, .. ids], ids[^1], current.Dropped, maxFrameBytes);
    }

    /// <summary>
    /// Lets go of the events every subscription has been handed (up to <paramref name="handedToAll"/>), then of the oldest
    /// beyond the limit.
    /// </summary>
    public void Trim(StreamId handedToAll)
    {
        var current = _current!;
        var upTo = Array.BinarySearch(current.Ids, handedToAll);
        upTo = upTo < 0 ? ~upTo : upTo + 1;
        upTo = Math.Max(upTo, current.Events.Length - maxEvents);
        if (upTo <= 0)
        {
            return;
        }

        var dropped = current.Ids[upTo - 1] > current.Dropped ? current.Ids[upTo - 1] : current.Dropped;
        _current = new Snapshot(current.Events[upTo..], current.Ids[upTo..], current.Head, dropped, maxFrameBytes);
    }

    /// <summary>The events kept at one moment, and the frames built from them for each cursor asked for.</summary>
    /// <param name="Dropped">Events at or before it are no longer kept.</param>
    public sealed record Snapshot(OpsEvent[] Events, StreamId[] Ids, StreamId Head, StreamId Dropped, int MaxFrameBytes)
    {
        private readonly ConcurrentDictionary<StreamId, Lazy<IReadOnlyList<OpsFrame>?>> _frames = new();

        /// <summary>
        /// Everything after <paramref name="through"/> up to <see cref="Head"/> as frames of at most the frame byte limit,
        /// built once per cursor (the lanes racing for one wait for its one build; the connections of a turn mostly share
        /// their cursor); empty when there is nothing after it; null when some of it is no longer kept (resync).
        /// </summary>
        public IReadOnlyList<OpsFrame>? FramesAfter(StreamId through) =>
            through < Dropped ? null : _frames.GetOrAdd(through, static (at, snapshot) => new(() => snapshot.Build(at)), this).Value;

        private IReadOnlyList<OpsFrame> Build(StreamId through)
        {
            var from = Array.BinarySearch(Ids, through);
            from = from < 0 ? ~from : from + 1;
            return from == Events.Length ? [] : OpsFrame.Split(Events[from..], MaxFrameBytes);
        }
    }
}
