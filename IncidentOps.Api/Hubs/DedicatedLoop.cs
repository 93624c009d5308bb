using Nito.AsyncEx;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Runs one async loop on a thread of its own: each <c>await</c> of the loop resumes on that thread (Nito's
/// <see cref="AsyncContext"/>, a one-thread <see cref="SynchronizationContext"/>), not through the thread pool's global
/// queue. The hub's tail needs that: at 5,000 screens each frame queues thousands of connection work items, and the tail's
/// Redis replies waited behind them (bench/README.md, "Fan-out, session 11"). The loop may also block this thread outright
/// (timed waits), since nothing else runs on it.
/// </summary>
public static class DedicatedLoop
{
    /// <summary>Starts <paramref name="loop"/> on a new background thread; the task ends (or fails) as the loop does.</summary>
    public static Task Run(string name, Func<Task> loop)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                AsyncContext.Run(loop);
                done.TrySetResult();
            }
            catch (OperationCanceledException)
            {
                done.TrySetCanceled();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
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
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return action();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }
}
