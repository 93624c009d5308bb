using System.Collections.Concurrent;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Wakes stream readers as soon as something is appended. StackExchange.Redis cannot issue blocking
/// XREAD (it multiplexes one connection), so every append also PUBLISHes the stream's name and readers
/// wait on that, with a poll timeout as the safety net for a lost notification.
/// </summary>
public sealed class StreamSignal
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _pending = new();

    public StreamSignal(IConnectionMultiplexer redis)
    {
        redis.GetSubscriber().Subscribe(RedisChannel.Literal(RedisKeys.StreamNotify), (_, stream) => Notify(stream.ToString()));
    }

    /// <summary>Take a ticket before reading; if the read finds nothing, wait on the ticket.</summary>
    public Task Ticket(string stream) =>
        _pending.GetOrAdd(stream, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public static async Task WaitAsync(Task ticket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await Task.WhenAny(ticket, Task.Delay(timeout, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    private void Notify(string stream)
    {
        if (_pending.TryRemove(stream, out var waiting))
        {
            waiting.TrySetResult();
        }
    }
}
