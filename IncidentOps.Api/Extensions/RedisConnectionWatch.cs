using StackExchange.Redis;

namespace IncidentOps.Api.Extensions;

/// <summary>
/// Why Redis is not serving, for <c>/dashboard/health</c>: the multiplexer's own failure events, and the requests that
/// just failed on it. A stopped (not dead) server keeps its socket open, so the connection still looks up while every
/// command times out; a failure in the last <see cref="Recent"/> counts as down too.
/// </summary>
public sealed class RedisConnectionWatch
{
    private static readonly TimeSpan Recent = TimeSpan.FromSeconds(10);
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private (DateTimeOffset At, string Why)? _failure;

    public RedisConnectionWatch(IConnectionMultiplexer redis, TimeProvider time)
    {
        _time = time;
        redis.ConnectionFailed += (_, e) => Record($"connection {e.FailureType} on {e.ConnectionType}");
        redis.ConnectionRestored += (_, _) =>
        {
            lock (_gate)
            {
                _failure = null;
            }
        };
    }

    public void Record(string why)
    {
        lock (_gate)
        {
            _failure = (_time.GetUtcNow(), why);
        }
    }

    /// <summary>Null while Redis serves; else what is wrong and since when.</summary>
    public string? Problem(bool connected)
    {
        lock (_gate)
        {
            if (!connected)
            {
                return $"Redis is not connected ({_failure?.Why ?? "connecting"}{(_failure is { } f ? $" since {f.At:u}" : "")}); writes answer 503 with Retry-After until the client reconnects by itself.";
            }

            return _failure is { } recent && _time.GetUtcNow() - recent.At < Recent
                ? $"Redis did not serve a request at {recent.At:u} ({recent.Why}); writes answer 503 with Retry-After."
                : null;
        }
    }
}
