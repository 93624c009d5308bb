namespace IncidentOps.Api.Hubs;

/// <summary>
/// How often live frames may be cut for a given crowd (I/O-free). Each frame is one write per connection, and a write
/// costs about the same whatever its size (a profile at 2,000 connections: half of the hub's working time is the
/// WebSocket send loop and the socket's send call, once per write; bench/README.md). So the frames are spaced so that
/// the writes per second stay within <see cref="HubLimitOptions.FrameWritesPerSecond"/>: a few screens get a frame every
/// <see cref="HubLimitOptions.BatchMilliseconds"/>, thousands get bigger frames less often, never more than
/// <see cref="HubLimitOptions.MaxFrameIntervalMilliseconds"/> apart.
/// </summary>
public static class FrameCadence
{
    /// <summary>The least time from one frame's cut to the next for <paramref name="subscribers"/> live subscriptions.</summary>
    public static TimeSpan MinInterval(int subscribers, HubLimitOptions options)
    {
        var floor = (double)options.BatchMilliseconds;
        var budget = options.FrameWritesPerSecond <= 0 ? 0.0 : subscribers * 1000.0 / options.FrameWritesPerSecond;
        return TimeSpan.FromMilliseconds(Math.Clamp(budget, floor, Math.Max(floor, options.MaxFrameIntervalMilliseconds)));
    }

    /// <summary>How long to wait before cutting the next frame, <paramref name="sinceLastCut"/> after the previous one.</summary>
    public static TimeSpan Wait(int subscribers, TimeSpan sinceLastCut, HubLimitOptions options)
    {
        var wait = MinInterval(subscribers, options) - sinceLastCut;
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }
}
