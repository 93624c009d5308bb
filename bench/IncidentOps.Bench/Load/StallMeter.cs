using System.Diagnostics;

namespace IncidentOps.Bench.Load;

/// <summary>
/// How long the load generator itself (this process: the 5,000 clients' receipts are timed here) could not run over a
/// phase: its own GC pauses, and how late a thread asking to wake every 5 ms actually woke (a GC suspension or a wait
/// for a core shows as a late wake-up, as jHiccup measures a JVM's). A receipt timed during such a stall is late by it,
/// whatever the API did, so this is the floor under the latency the bench can see. Written here rather than taken from a
/// library: no package in reach measures a .NET process's own hiccups, and it is one loop.
/// </summary>
public sealed class StallMeter : IDisposable
{
    private const int IntervalMs = 5;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly TimeSpan _pausedBefore = GC.GetTotalPauseDuration();
    private readonly int[] _collectionsBefore = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
    private readonly List<(double At, double LateMs)> _late = [];
    private readonly Thread _thread;
    private volatile bool _stop;

    private StallMeter()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "stall meter", Priority = ThreadPriority.AboveNormal };
        _thread.Start();
    }

    public static StallMeter Start() => new();

    /// <summary>The phase's stalls: GC collections and pause time, and the late wake-ups (p99, the longest and when).</summary>
    public string Stop()
    {
        _stop = true;
        _thread.Join();
        var paused = GC.GetTotalPauseDuration() - _pausedBefore;
        var collections = string.Join('/', Enumerable.Range(0, 3).Select(g => GC.CollectionCount(g) - _collectionsBefore[g]));
        var late = _late.Select(l => l.LateMs).Order().ToList();
        var longest = _late.OrderByDescending(l => l.LateMs).Take(3).Select(l => $"{l.LateMs:0} ms at {l.At:0.0} s");
        var over50 = late.Count(l => l >= 50);
        return $"GC {collections} (gen0/1/2), paused {paused.TotalMilliseconds:0} ms in all; a {IntervalMs} ms wake-up late by p50 "
            + $"{Percentile(late, 50):0.0} / p99 {Percentile(late, 99):0.0} ms, {over50} times by 50 ms or more, longest {string.Join(", ", longest)}";
    }

    public void Dispose()
    {
        _stop = true;
    }

    private void Run()
    {
        var last = _clock.Elapsed;
        while (!_stop)
        {
            Thread.Sleep(IntervalMs);
            var now = _clock.Elapsed;
            var late = (now - last).TotalMilliseconds - IntervalMs;
            _late.Add((now.TotalSeconds, Math.Max(0, late)));
            last = now;
        }
    }

    private static double Percentile(List<double> sorted, int p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
}
