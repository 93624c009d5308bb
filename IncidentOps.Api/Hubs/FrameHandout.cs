using System.Diagnostics;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// One live frame on its way to the connections that were keeping up when it was cut: done when each of them has handed
/// it to its transport (written it to the connection's pipe) or let it go. The broadcaster cuts the next frame only then,
/// so a big crowd gets fewer, bigger frames instead of a queue of small ones per connection (see
/// <see cref="OpsEventBroadcaster"/>).
/// </summary>
public sealed class FrameHandout
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _started = Stopwatch.GetTimestamp();
    private long _finished;

    // Starts at one for the publisher itself, so the count cannot reach zero while the frame is still being handed out.
    private int _remaining = 1;

    public Task Done => _done.Task;

    /// <summary>One more connection to wait for.</summary>
    public void Expect() => Interlocked.Increment(ref _remaining);

    /// <summary>A connection is done with the frame (or the publisher is done handing it out).</summary>
    public void Handed()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Volatile.Write(ref _finished, Stopwatch.GetTimestamp());
            _done.TrySetResult();
        }
    }

    /// <summary>From publication until the last connection had the frame, or until now while one has not.</summary>
    public TimeSpan Took => Stopwatch.GetElapsedTime(_started, Volatile.Read(ref _finished) is var finished and > 0 ? finished : Stopwatch.GetTimestamp());
}

/// <summary>A frame in a subscription's queue, with the handout to report to when the connection is counted in it.</summary>
public readonly record struct QueuedFrame(OpsFrame Frame, FrameHandout? Handout);
