using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Threading.RateLimiting;
using IncidentOps.Api.Apis;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Access;

/// <summary>How much ingest one API process takes on at once (<c>Ingest:Admission:*</c>).</summary>
public sealed class IngestAdmissionOptions
{
    public const string Section = "Ingest:Admission";

    /// <summary>Alerts being processed at once (each holds a Redis round trip or a few).</summary>
    [Range(1, 100_000)]
    public int MaxInFlight { get; set; } = 64;

    /// <summary>Alerts waiting for a slot; one more is answered 503 at once.</summary>
    [Range(0, 1_000_000)]
    public int MaxQueued { get; set; } = 1024;

    /// <summary>How long an alert may wait for a slot before it is answered 503 (so no sender waits without bound).</summary>
    [Range(1, 60_000)]
    public int MaxQueueWaitMilliseconds { get; set; } = 250;
}

/// <summary>
/// Overload protection for the webhooks, across all senders (the rate limiter is per credential): a bounded number of alerts
/// in flight and a bounded, short queue (System.Threading.RateLimiting's concurrency limiter). Past it the API answers
/// <c>503</c> with <c>Retry-After</c> within the queue wait, instead of letting latency grow without bound; Alertmanager,
/// Grafana and PagerDuty-style senders retry, and a 503 stored nothing.
/// </summary>
public sealed class IngestAdmission(IOptions<IngestAdmissionOptions> options) : IMiddleware, IDisposable
{
    private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = options.Value.MaxInFlight,
        QueueLimit = options.Value.MaxQueued,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IngestTokenEndpoint>() is null)
        {
            await next(context);
            return;
        }

        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(options.Value.MaxQueueWaitMilliseconds);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, wait.Token);
        }
        catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
        {
            lease = FailedLease.Instance;
        }

        using (lease)
        {
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }
        }

        ApiTelemetry.RecordRefused(IngestRefusal.Capacity);
        context.Response.Headers.RetryAfter = "1";
        await ApiProblems.Create(StatusCodes.Status503ServiceUnavailable, "At capacity",
                string.Create(CultureInfo.InvariantCulture,
                    $"IncidentOps is taking in as many alerts as it can ({options.Value.MaxInFlight} in progress, {options.Value.MaxQueued} waiting); nothing was stored: retry after 1 s."))
            .ExecuteAsync(context);
    }

    public void Dispose() => _limiter.Dispose();

    private sealed class FailedLease : RateLimitLease
    {
        public static readonly FailedLease Instance = new();

        public override bool IsAcquired => false;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
