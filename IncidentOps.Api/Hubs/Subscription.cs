using System.Threading.Channels;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Hubs;

/// <summary>One connection's queue of live frames, and how far the broadcaster has handed it the log.</summary>
public sealed class Subscription(Channel<OpsFrame> channel, Action unsubscribe) : IDisposable
{
    private readonly ChannelReader<OpsFrame> _reader = channel.Reader;
    private volatile bool _writing;
    private volatile bool _ended;

    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>Where the broadcaster queues frames.</summary>
    public ChannelWriter<OpsFrame> Writer => channel.Writer;

    /// <summary>Nothing queued and no frame being written: the connection has sent everything it was given.</summary>
    public bool KeepingUp => !_writing && _reader.Count == 0;

    /// <summary>Ended by its connection (the stream cancelled): the queue is closed, and a frame it refuses is no overflow.</summary>
    public bool Ended => _ended;

    /// <summary>
    /// The last event the broadcaster has queued for this subscription (null until the tail knows where the log ends).
    /// Written by the broadcaster only: under its lock, or by the lane whose turn it is.
    /// </summary>
    internal StreamId? Through { get; set; }

    /// <summary>Turns in a row this subscription was skipped, still writing (the broadcaster's).</summary>
    internal int Skipped { get; set; }

    /// <summary>The live frames in order.</summary>
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
            while (_reader.TryRead(out var frame))
            {
                _writing = true;
                yield return frame;
                _writing = false;
            }
        }
    }

    /// <summary>No more frames are handed to it.</summary>
    public void Dispose() => unsubscribe();
}
