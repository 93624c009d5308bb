using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Metrics.Figures;

/// <summary>
/// Follows <c>ops:events</c> through the <c>metrics</c> consumer group; when incidents change, recomputes
/// the figures from the stored incidents, stores the snapshot and publishes <c>metrics.updated</c>.
/// Bursts of changes are coalesced into one recompute.
/// </summary>
public sealed class MetricsWorker(
    IConnectionMultiplexer redis,
    StreamSignal signal,
    IncidentStore store,
    OpsEventLog log,
    MetricsCalculator calculator,
    IOptions<MetricsOptions> options,
    ILogger<MetricsWorker> logger) : BackgroundService
{
    private static readonly ActivitySource Source = new(IncidentOpsTelemetry.Metrics);
    private static readonly Meter Meter = new(IncidentOpsTelemetry.Metrics);
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}";
    private MetricsSnapshot? _latest;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Meter.CreateObservableGauge("incidentops.incidents.open", () => _latest?.IncidentsOpen ?? 0, "{incident}", "Incidents not yet resolved.");
        Meter.CreateObservableGauge("incidentops.mttr", () => _latest?.Mttr.MeanMinutes ?? 0, "min", "Mean time to resolve over resolved incidents.");

        var db = redis.GetDatabase();
        var initialised = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!initialised)
                {
                    // From now on: the recompute that follows covers everything before.
                    await ConsumerGroups.EnsureAsync(db, RedisKeys.OpsEvents, RedisKeys.MetricsGroup, "$");
                    await RecomputeAsync(null);
                    initialised = true;
                }

                var ticket = signal.Ticket(RedisKeys.OpsEvents);
                var entries = await db.StreamReadGroupAsync(RedisKeys.OpsEvents, RedisKeys.MetricsGroup, _consumer, ">", 1000);
                if (entries.Length == 0)
                {
                    await StreamSignal.WaitAsync(ticket, PollTimeout, stoppingToken);
                    continue;
                }

                var trigger = entries.Where(e => OpsEventLog.Read(e).Type.StartsWith("incident.", StringComparison.Ordinal)).ToList();
                if (trigger.Count > 0)
                {
                    await RecomputeAsync(OpsEventLog.TraceParentOf(trigger[^1]));
                }

                await db.StreamAcknowledgeAsync(RedisKeys.OpsEvents, RedisKeys.MetricsGroup, [.. entries.Select(e => e.Id)]);
                if (trigger.Count > 0)
                {
                    await Task.Delay(options.Value.MinPublishIntervalMs, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                MetricsLog.ReadFailed(logger, ex);
                await Task.Delay(PollTimeout, stoppingToken);
            }
        }

        try
        {
            if (initialised)
            {
                await ConsumerGroups.LeaveAsync(db, RedisKeys.OpsEvents, RedisKeys.MetricsGroup, _consumer);
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            MetricsLog.ReadFailed(logger, ex);
        }
    }

    private async Task RecomputeAsync(string? traceparent)
    {
        ActivityContext.TryParse(traceparent, null, out var parent);
        using var activity = Source.StartActivity("recompute metrics", ActivityKind.Consumer, parent);
        var incidents = new List<Core.Domain.Incident>();
        await foreach (var incident in store.AllAsync())
        {
            incidents.Add(incident);
        }

        var snapshot = calculator.Compute(incidents);
        if (_latest is not null && _latest with { ComputedAt = snapshot.ComputedAt } == snapshot)
        {
            return;
        }

        _latest = snapshot;
        await redis.GetDatabase().StringSetAsync(RedisKeys.MetricsSnapshot, OpsJson.Serialize(snapshot));
        await log.AppendAsync(
            new PendingEvent(EventTypes.MetricsUpdated, null, snapshot.ComputedAt, new { metrics = snapshot }, OnTimeline: false),
            Activity.Current?.Id);
        MetricsLog.Published(logger, snapshot.IncidentsHandled, snapshot.IncidentsOpen, snapshot.Mttr.MeanMinutes);
    }
}

internal static partial class MetricsLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics published: {Handled} handled, {Open} open, MTTR {MttrMinutes} min")]
    public static partial void Published(ILogger logger, int handled, int open, double? mttrMinutes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading ops:events failed; retrying")]
    public static partial void ReadFailed(ILogger logger, Exception exception);
}
