using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Metrics.Figures;

/// <summary>
/// Follows <c>ops:events</c> through the <c>metrics</c> consumer group and keeps one compact fact per incident in
/// Redis: when an incident (or an agent's conclusion on it) changes, its fact is re-read from the stored incident.
/// The figures are recomputed from the facts, coalesced to at most one <c>metrics.updated</c> per
/// <see cref="MetricsOptions.MinPublishIntervalMs"/>. A restart resumes from the group's position; the very first
/// start (no facts yet) rebuilds the facts from every stored incident.
/// </summary>
public sealed class MetricsWorker(
    IConnectionMultiplexer redis,
    StreamSignal signal,
    FactStore facts,
    RetentionStore retention,
    MetricsPublisher publisher,
    TimeProvider time,
    IOptions<MetricsOptions> options,
    ILogger<MetricsWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var db = redis.GetDatabase();
        var initialised = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!initialised)
                {
                    await InitialiseAsync(db);
                    initialised = true;
                }

                var ticket = signal.Ticket(RedisKeys.OpsEvents);
                var entries = await ReadAsync(db);
                if (entries.Length == 0)
                {
                    if (time.GetUtcNow() - publisher.LastPublished > TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds))
                    {
                        await publisher.PublishAsync(null);
                        await ConsumerGroups.RemoveGoneAsync(db, RedisKeys.OpsEvents, RedisKeys.MetricsGroup, TimeSpan.FromSeconds(options.Value.RefreshIntervalSeconds * 2), _consumer);
                    }

                    await StreamSignal.WaitAsync(ticket, PollTimeout, stoppingToken);
                    continue;
                }

                var changed = await UpdateFactsAsync(entries);
                if (changed is not null)
                {
                    await publisher.PublishAsync(OpsEventLog.TraceParentOf(changed.Value));
                }

                await db.StreamAcknowledgeAsync(RedisKeys.OpsEvents, RedisKeys.MetricsGroup, [.. entries.Select(e => e.Id)]);
                if (changed is not null)
                {
                    // Coalescing: whatever arrives meanwhile is one batch, one recompute, one metrics.updated.
                    await Task.Delay(options.Value.MinPublishIntervalMs, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
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
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
        {
            MetricsLog.ReadFailed(logger, ex);
        }
    }

    private async Task InitialiseAsync(IDatabase db)
    {
        // The group starts at "now": the rebuild that follows covers everything before it.
        await ConsumerGroups.EnsureAsync(db, RedisKeys.OpsEvents, RedisKeys.MetricsGroup, "$");
        if (!await db.KeyExistsAsync(RedisKeys.MetricsFactsReady))
        {
            var rebuilt = await facts.RebuildAsync();
            MetricsLog.Rebuilt(logger, rebuilt);
            await db.StringSetAsync(RedisKeys.MetricsFactsReady, time.GetUtcNow().ToString("O"));
        }

        await publisher.PublishAsync(null);
    }

    /// <summary>New entries; first, entries another (dead) worker read and never acknowledged.</summary>
    private async Task<StreamEntry[]> ReadAsync(IDatabase db)
    {
        var claimIdle = TimeSpan.FromSeconds(options.Value.ClaimIdleSeconds);
        var claimed = await db.StreamAutoClaimAsync(RedisKeys.OpsEvents, RedisKeys.MetricsGroup, _consumer, (long)claimIdle.TotalMilliseconds, "0-0", 1000);
        return claimed.ClaimedEntries is { Length: > 0 } orphans
            ? orphans
            : await db.StreamReadGroupAsync(RedisKeys.OpsEvents, RedisKeys.MetricsGroup, _consumer, ">", 1000);
    }

    /// <summary>Re-reads the facts of the incidents these entries touch; the last relevant entry when any fact changed, else null.</summary>
    private async Task<StreamEntry?> UpdateFactsAsync(StreamEntry[] entries)
    {
        var touched = new Dictionary<string, StreamEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var evt = OpsEventLog.Read(entry);
            if (evt.IncidentId is { Length: > 0 } id && evt.Type != EventTypes.MetricsUpdated)
            {
                touched[id] = entry;
            }
        }

        if (touched.Count == 0)
        {
            return null;
        }

        var current = await facts.ReadFromIncidentsAsync(touched.Keys);
        // Resolved incidents go on the retention schedules (dedup keys released, later archived); reopened ones come off.
        await retention.ScheduleAsync(current.Select(f => (f.Id, f.IsOpen ? null : f.ResolvedMs)));
        var changed = await facts.SaveAsync(current);
        return changed.Count == 0 ? null : touched[changed[^1].Id];
    }
}
