using System.Diagnostics;

namespace IncidentOps.Bench.Load;

/// <summary>
/// Keeps the bench's screens alive as real ones do: the SignalR JavaScript client pings when it has sent nothing for its
/// keep-alive interval (15 s), so a crowd of screens that connected over minutes pings at times spread over the interval.
/// The bench's screens connect within seconds; pinging them all at once every few seconds (as it did until session 29)
/// put thousands of receives into the API's thread pool in one instant, a herd no real crowd makes, and the alerts sent
/// during it were the slowest of the window (bench/README.md, "Fan-out, session 29"). So one thread pings them one by one,
/// evenly over the interval.
/// </summary>
public sealed class SpreadPings : IDisposable
{
    private readonly IReadOnlyList<RawHubClient> _clients;
    private readonly TimeSpan _interval;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new();

    private SpreadPings(IReadOnlyList<RawHubClient> clients, TimeSpan interval)
    {
        (_clients, _interval) = (clients, interval);
        _thread = new Thread(Run) { IsBackground = true, Name = "screens-pings" };
        _thread.Start();
    }

    /// <summary>Pings each of <paramref name="clients"/> once per <paramref name="interval"/>, one after another, evenly spread.</summary>
    public static SpreadPings Start(IReadOnlyList<RawHubClient> clients, TimeSpan interval) => new(clients, interval);

    private void Run()
    {
        if (_clients.Count == 0)
        {
            return;
        }

        var clock = Stopwatch.StartNew();
        var gap = _interval / _clients.Count;
        for (long n = 0; ; n++)
        {
            // The n-th ping is due at n gaps: a late wake-up catches up instead of drifting.
            var wait = gap * n - clock.Elapsed;
            if ((wait > TimeSpan.Zero && _stop.Wait(wait)) || _stop.IsSet)
            {
                return;
            }

            _clients[(int)(n % _clients.Count)].SendPing();
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }
}
