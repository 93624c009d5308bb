using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>Which exceptions mean "Redis is away for now": retry later, answer 503, keep the worker running.</summary>
public static class RedisFailures
{
    // A server that is starting (loading its AOF), busy with a script, or failing over: it will serve again.
    private static readonly string[] TransientServerErrors = ["LOADING", "BUSY", "MASTERDOWN", "READONLY", "TRYAGAIN", "CLUSTERDOWN"];

    /// <summary>
    /// Connection and timeout errors, and the InvalidOperationException StackExchange.Redis hands to commands in flight
    /// when it tears down a connection that stopped answering ("Reading is not allowed after reader was completed",
    /// seen with redis-server under SIGSTOP), or cancels them: those crashed the API's event tail before.
    /// </summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException or TimeoutException => true,
        RedisServerException server => TransientServerErrors.Any(e => server.Message.StartsWith(e, StringComparison.Ordinal)),
        RedisException => true,
        InvalidOperationException when exception.StackTrace?.Contains("StackExchange.Redis.", StringComparison.Ordinal) == true => true,
        // Commands in flight on a connection the client recycles are cancelled with no token of anyone's: not a caller
        // giving up (that carries the caller's token), so Redis going away.
        OperationCanceledException cancelled when !cancelled.CancellationToken.CanBeCanceled => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(IsTransient),
        _ => exception.InnerException is { } inner && IsTransient(inner),
    };
}
