using System.Collections.Concurrent;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Runs one async loop on a thread of its own: each <c>await</c> of the loop resumes on that thread (this is its
/// <see cref="SynchronizationContext"/>), not through the thread pool's global queue. The hub's tail needs that: at 5,000
/// screens each frame queues thousands of connection work items, and the tail's Redis replies waited behind them
/// (bench/README.md, "Fan-out, session 11"). The loop may also block this thread outright (timed waits), since nothing else
/// runs on it.
/// </summary>
public sealed class DedicatedLoop : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    private DedicatedLoop()
    {
    }

    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task ends (or fails) as the loop does.</summary>
    public static Task Run(string name, Func<Task> loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var context = new DedicatedLoop();
            SetSynchronizationContext(context);
            Task task;
            try
            {
                task = loop();
            }
            catch (Exception ex)
            {
                task = Task.FromException(ex);
            }

            task.ContinueWith(_ => context._queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            if (task.IsCanceled)
            {
                done.TrySetCanceled();
            }
            else if (task.Exception is { } failed)
            {
                done.TrySetException(failed.InnerExceptions);
            }
            else
            {
                done.TrySetResult();
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Code that must not resume on this thread (a connection's continuation run inline by the loop) runs without it.</summary>
    public static T Without<T>(Func<T> action)
    {
        var context = Current;
        SetSynchronizationContext(null);
        try
        {
            return action();
        }
        finally
        {
            SetSynchronizationContext(context);
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (InvalidOperationException)
        {
            // The loop has ended (adding completed): nothing of it is left to resume, so a late continuation runs where it is.
            d(state);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("The loop's thread only takes posted continuations.");

    public override SynchronizationContext CreateCopy() => this;
}
