using System.Diagnostics;

namespace IncidentOps.Testing;

/// <summary>Waits on a condition with a deadline: the tests' only way to wait (never a fixed sleep).</summary>
public static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(25);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var started = Stopwatch.StartNew();
        while (!await condition())
        {
            if (started.Elapsed > timeout)
            {
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}.");
            }

            await Task.Delay(Interval);
        }
    }

    /// <summary>Polls <paramref name="probe"/> until it returns a value (not null), or the deadline passes.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        T? value = null;
        await TrueAsync(async () => (value = await probe()) is not null, timeout, what);
        return value!;
    }

    /// <summary>Retries <paramref name="attempt"/> until it returns without throwing, or the deadline passes.</summary>
    public static async Task<T> ResultAsync<T>(Func<Task<T>> attempt, TimeSpan timeout, string what)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return await attempt();
            }
            catch (Exception ex) when (started.Elapsed < timeout && ex is not OutOfMemoryException)
            {
                await Task.Delay(Interval);
            }
        }
    }
}
