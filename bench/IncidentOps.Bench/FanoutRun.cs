using System.Diagnostics;
using System.Globalization;
using System.Text;
using HdrHistogram;

namespace IncidentOps.Bench;

/// <summary>
/// What every <c>fanout</c> client shares: when each alert was sent, the latency of each receipt (from the POST, and split
/// at the alert's append to the log), each alert's first and last client, the POSTs' latencies and the hub's peak memory.
/// </summary>
internal sealed class FanoutRun(int alerts, int steady)
{
    public readonly string Id = $"f{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
    public readonly long[] SentAt = new long[alerts];
    public readonly int Alerts = alerts;
    public long PeakRss;
    public int FailedPosts;
    public readonly List<double> PostMs = [];
    private readonly MsHistogram _latency = new();
    private readonly MsHistogram _intake = new();
    private readonly MsHistogram _fanout = new();
    private readonly int[] _intakeCounted = new int[alerts];
    private readonly int[] _firstClientMs = Enumerable.Repeat(int.MaxValue, alerts).ToArray();
    private readonly int[] _lastClientMs = new int[alerts];
    private readonly Stopwatch _phase = Stopwatch.StartNew();

    public int IndexOf(bool burst, int n) => burst ? steady + n : n;

    /// <summary>The alert number of a dedup key of this run (<c>{Id}-r-{n}</c> or <c>{Id}-b-{n}</c>), or -1 (the warm flow's <c>{Id}-w-{n}</c> too).</summary>
    public int IndexOf(ReadOnlySpan<byte> dedupKey)
    {
        Span<byte> prefix = stackalloc byte[Id.Length];
        Encoding.ASCII.GetBytes(Id, prefix);
        if (!dedupKey.StartsWith(prefix) || dedupKey.Length < Id.Length + 4
            || dedupKey[Id.Length + 1] is not ((byte)'r' or (byte)'b')
            || !System.Buffers.Text.Utf8Parser.TryParse(dedupKey[(Id.Length + 3)..], out int n, out _))
        {
            return -1;
        }

        var index = IndexOf(dedupKey[Id.Length + 1] == (byte)'b', n);
        return index < Alerts ? index : -1;
    }

    /// <summary>
    /// One receipt: the latency from the POST, split at the alert's append to the log (the id's time) into intake (POST →
    /// appended, counted once per alert) and fan-out (appended → this client).
    /// </summary>
    public void Received(int index, long at, long msSinceAppended)
    {
        var ms = (int)Stopwatch.GetElapsedTime(SentAt[index], at).TotalMilliseconds;
        var fanout = (int)msSinceAppended;
        _latency.Add(ms);
        _fanout.Add(fanout);
        InterlockedMin(ref _firstClientMs[index], fanout);
        InterlockedMax(ref _lastClientMs[index], fanout);
        if (Interlocked.Exchange(ref _intakeCounted[index], 1) == 0)
        {
            _intake.Add(ms - fanout);
        }
    }

    /// <summary>
    /// The alerts that reached their last client latest: when each was sent (s into the phase), and ms from its append to
    /// its first and its last client. All late means the frame left late; first early and last late means slow connections.
    /// </summary>
    public string Worst(int from, int count, int take) => string.Join(", ", Enumerable.Range(from, count)
        .Where(i => _lastClientMs[i] > 0).OrderByDescending(i => _lastClientMs[i]).Take(take)
        .Select(i => $"#{i} at {Stopwatch.GetElapsedTime(SentAt[from], SentAt[i]).TotalSeconds:0.0} s: {_firstClientMs[i]}–{_lastClientMs[i]} ms"));

    public void SampleMemory(Process? api)
    {
        if (SystemUnderTest.ResidentBytes(api) is { } rss && rss > Interlocked.Read(ref PeakRss))
        {
            Interlocked.Exchange(ref PeakRss, rss);
        }
    }

    public (string P50, string P99) TakePostLatencies()
    {
        lock (PostMs)
        {
            PostMs.Sort();
            var result = (Machine.Ms(Percentiles.Of(PostMs, 50)), Machine.Ms(Percentiles.Of(PostMs, 99)));
            PostMs.Clear();
            return result;
        }
    }

    /// <summary>Opens the measured window: its receipts a second count from here, not from the run's start (the clients'
    /// connecting and a warm-up came before it).</summary>
    public void OpenWindow() => _phase.Restart();

    /// <summary>The phase's receipts (POST → client) and how many a second; the next phase starts empty.</summary>
    public MsHistogram.Spread TakeLatencies()
    {
        var seconds = _phase.Elapsed.TotalSeconds;
        _phase.Restart();
        return _latency.Take(seconds);
    }

    /// <summary>The phase's split: POST → appended to the log (per alert) and appended → each client (per receipt).</summary>
    public (MsHistogram.Spread Intake, MsHistogram.Spread Fanout) TakeSplit() => (_intake.Take(1), _fanout.Take(1));

    private static void InterlockedMin(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value < current && Interlocked.CompareExchange(ref target, value, current) != current; current = Volatile.Read(ref target))
        {
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current && Interlocked.CompareExchange(ref target, value, current) != current; current = Volatile.Read(ref target))
        {
        }
    }
}

/// <summary>
/// Latencies in ms up to 120 s (HdrHistogram, 3 significant digits: exact below 2 s), recorded from every client's receive
/// loop at once; each take returns what was recorded since the last one.
/// </summary>
internal sealed class MsHistogram
{
    private const long HighestMs = 120_000;
    private readonly Recorder _recorder = new(1, HighestMs, 3, (id, lowest, highest, digits) => new LongConcurrentHistogram(id, lowest, highest, digits));

    public readonly record struct Spread(string P50, string P99, string Max, double PerSecond);

    public void Add(int ms) => _recorder.RecordValue(Math.Clamp(ms, 0, HighestMs));

    /// <summary>The percentiles of what was added since the last take (each as "-" when nothing was), and the count per second over <paramref name="seconds"/>.</summary>
    public Spread Take(double seconds)
    {
        var interval = _recorder.GetIntervalHistogram();
        return interval.TotalCount == 0
            ? new Spread("-", "-", "-", 0)
            : new Spread(Text(interval.GetValueAtPercentile(50)), Text(interval.GetValueAtPercentile(99)), Text(interval.GetMaxValue()), interval.TotalCount / seconds);
    }

    private static string Text(long ms) => ms.ToString(CultureInfo.InvariantCulture);
}
