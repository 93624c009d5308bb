using Microsoft.AspNetCore.Diagnostics;
using StackExchange.Redis;

namespace IncidentOps.Api.Extensions;

/// <summary>
/// While Redis is down or unreachable every request that needs it ends in a StackExchange.Redis connection or timeout
/// error (the client fails fast when the connection is gone, and times out after <c>asyncTimeout</c> when the server
/// stops answering). That is the caller's cue to retry, not a fault of ours: 503 with Retry-After, a problem naming
/// why (each write is one script, so it runs whole or not at all). The client reconnects by itself.
/// </summary>
public sealed class RedisUnavailable(IProblemDetailsService problems, RedisConnectionWatch watch, ILogger<RedisUnavailable> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (!IsUnavailable(exception) || httpContext.Response.HasStarted)
        {
            return false;
        }

        ApiLog.StorageUnavailable(logger, Reason(exception));
        watch.Record(Reason(exception));
        if (httpContext.GetEndpoint()?.Metadata.GetMetadata<Access.IngestTokenEndpoint>() is not null)
        {
            ApiTelemetry.RecordRefused(IngestRefusal.StorageUnavailable);
        }

        httpContext.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
        httpContext.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status503ServiceUnavailable,
                Title = "Storage unavailable",
                Detail = $"Redis is unreachable ({Reason(exception)}); {Consequence(exception)} Retry after {RetryAfterSeconds} s.",
            },
        });
    }

    public static bool IsUnavailable(Exception exception) => IncidentOps.Core.Storage.RedisFailures.IsTransient(exception);

    // A lost connection refuses the command before it is sent; a timeout may have sent it to a server that is merely
    // stopped and will run it when it resumes. Either way a retry is safe: ingest and commands are idempotent.
    private static string Consequence(Exception exception) =>
        exception is RedisTimeoutException || exception.InnerException is RedisTimeoutException
            ? "the write may still be applied when Redis answers again, and a retry is safe (ingest is idempotent)."
            : "nothing was stored.";

    private static string Reason(Exception exception) => exception switch
    {
        RedisConnectionException connection => $"connection {connection.FailureType}",
        RedisTimeoutException => "no answer within the timeout",
        RedisServerException server => server.Message.Split(' ')[0],
        _ => exception.InnerException is { } inner ? Reason(inner) : "connection lost",
    };
}
