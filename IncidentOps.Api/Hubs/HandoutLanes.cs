namespace IncidentOps.Api.Hubs;

/// <summary>
/// Runs one pass of work in several lanes at once: lane 0 on the calling thread (the tail's), the others each on a thread
/// of its own that sleeps between passes. The broadcaster hands a frame to its subscriptions in slices this way, so the
/// pass over 5,000 connections is not one thread's: on a busy machine one thread gets a share of the cores, and the last
/// connection of a serial pass waited for all the others (bench/README.md, "Fan-out, session 27"). Own threads rather than
/// the thread pool: the pool's queue holds the connections' sends, and a pass queued behind them would wait for them.
/// </summary>
public sealed class HandoutLanes : IDisposable
{
    private readonly SemaphoreSlim[] _go;
    private readonly CountdownEvent _done;
    private volatile bool _stopping;
    private Action<int>? _work;
    private Exception? _failure;

    public HandoutLanes(int lanes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lanes, 1);
        Count = lanes;
        _go = [.. Enumerable.Range(0, lanes - 1).Select(_ => new SemaphoreSlim(0))];
        _done = new CountdownEvent(1);
        for (var lane = 1; lane < lanes; lane++)
        {
            var index = lane;
            new Thread(() => Serve(index)) { IsBackground = true, Name = $"ops-events-lane-{index}" }.Start();
        }
    }

    /// <summary>Lanes in a pass, the caller's included.</summary>
    public int Count { get; }

    /// <summary>Runs <paramref name="work"/>(lane) for every lane at once; returns when all are done (rethrows a lane's failure).</summary>
    public void Run(Action<int> work)
    {
        if (Count == 1)
        {
            work(0);
            return;
        }

        _work = work;
        _failure = null;
        _done.Reset(Count);
        foreach (var go in _go)
        {
            go.Release();
        }

        Do(0);
        _done.Wait();
        _work = null;
        if (_failure is { } failure)
        {
            throw new AggregateException("A lane of the frame handout failed.", failure);
        }
    }

    private void Serve(int lane)
    {
        while (true)
        {
            _go[lane - 1].Wait();
            if (_stopping)
            {
                return;
            }

            Do(lane);
        }
    }

    private void Do(int lane)
    {
        try
        {
            _work!(lane);
        }
        catch (Exception ex)
        {
            Interlocked.CompareExchange(ref _failure, ex, null);
        }
        finally
        {
            _done.Signal();
        }
    }

    public void Dispose()
    {
        _stopping = true;
        foreach (var go in _go)
        {
            go.Release();
        }
    }
}
