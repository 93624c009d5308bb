using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Metrics.Figures;

/// <summary>Recomputes the snapshot from the stored facts, stores it, appends <c>metrics.updated</c>, and feeds the gauges.</summary>
public sealed class MetricsPublisher(
    IConnectionMultiplexer redis,
    FactStore facts,
    OpsEventLog log,
    MetricsCalculator calculator,
    TimeProvider time,
    IMeterFactory meters,
    ILogger<MetricsPublisher> logger)
{
    private static readonly ActivitySource Source = new(IncidentOpsTelemetry.Metrics);

    // From the host's meter factory, not a static Meter: each host (and each test host) observes its own gauges.
    private readonly Meter _meter = meters.Create(IncidentOpsTelemetry.Metrics);
    private MetricsSnapshot? _latest;
    private int _gauges;

    public DateTimeOffset LastPublished { get; private set; } = DateTimeOffset.MinValue;

    public async Task PublishAsync(string? traceparent)
    {
        if (Interlocked.Exchange(ref _gauges, 1) == 0)
        {
            _meter.CreateObservableGauge(IncidentOpsTelemetry.OpenIncidentsGauge, () => _latest?.IncidentsOpen ?? 0, "{incident}", "Incidents not yet resolved.");
            _meter.CreateObservableGauge(IncidentOpsTelemetry.MttrGauge, () => _latest?.Business?.Mttr.MeanMinutes ?? 0, "min",
                "Mean time to resolve of incidents detected in the last 7 days.");
        }

        ActivityContext.TryParse(traceparent, null, out var parent);
        using var activity = Source.StartActivity("recompute metrics", ActivityKind.Consumer, parent);
        var started = Stopwatch.GetTimestamp();
        var snapshot = calculator.Compute(await facts.LoadAsync());
        activity?.SetTag("incidentops.facts", snapshot.IncidentsHandled + snapshot.IncidentsOpen);

        _latest = snapshot;
        LastPublished = time.GetUtcNow();
        await redis.GetDatabase().StringSetAsync(RedisKeys.MetricsSnapshot, OpsJson.Serialize(snapshot));
        await log.AppendAsync(
            new PendingEvent(EventTypes.MetricsUpdated, null, snapshot.ComputedAt, new { metrics = snapshot }, OnTimeline: false),
            Activity.Current?.Id);
        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        MetricsLog.Published(logger, snapshot.IncidentsHandled, snapshot.IncidentsOpen, snapshot.Business?.Mttr.MeanMinutes, elapsedMs);
    }
}

internal static partial class MetricsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics published: {Handled} handled, {Open} open, 7-day MTTR {MttrMinutes} min ({ElapsedMs:0} ms)")]
    public static partial void Published(ILogger logger, int handled, int open, double? mttrMinutes, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading ops:events failed; retrying")]
    public static partial void ReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Incident facts rebuilt from {Count} stored incidents")]
    public static partial void Rebuilt(ILogger logger, int count);
}
