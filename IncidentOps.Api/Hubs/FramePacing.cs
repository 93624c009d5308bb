namespace IncidentOps.Api.Hubs;

/// <summary>
/// When the broadcaster may cut the next live frame: no sooner than <c>interval</c> after the previous one, so a steady
/// flow of events reaches thousands of connections as fewer, bigger frames (the cost is per write, not per byte); a frame
/// after a quiet spell at least that long is cut at once, so a lone alert does not wait for a tick.
/// </summary>
public sealed class FramePacing(TimeSpan interval)
{
    private TimeSpan? _lastCut;

    /// <summary>How long to wait, at <paramref name="now"/> on a monotonic clock, before the next frame may be cut.</summary>
    public TimeSpan WaitAt(TimeSpan now) =>
        _lastCut is { } last && now - last < interval ? interval - (now - last) : TimeSpan.Zero;

    /// <summary>A frame was cut at <paramref name="now"/>.</summary>
    public void Cut(TimeSpan now) => _lastCut = now;
}
