using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// Reads <c>agents:work</c> through the <c>agents</c> consumer group and runs the pipeline for each
/// item, up to <see cref="AgentOptions.MaxConcurrentIncidents"/> at once. An item is acknowledged only
/// when its pipeline finished; items left unacknowledged by a dead worker are claimed after
/// <see cref="AgentOptions.ClaimIdleSeconds"/>, while this worker keeps its own in-flight items fresh.
/// </summary>
public sealed class AgentWorker(
    IConnectionMultiplexer redis,
    StreamSignal signal,
    IncidentPipeline pipeline,
    Actions.ActionRunner actions,
    IncidentLease lease,
    TimeProvider time,
    IOptions<AgentOptions> options,
    ILogger<AgentWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    private readonly string _consumer = $"{Environment.MachineName}-{Environment.ProcessId}";
    private readonly ConcurrentDictionary<RedisValue, Task> _inFlight = new();
    private readonly ConcurrentDictionary<RedisValue, string> _leased = new();

    private TimeSpan LeaseTtl => TimeSpan.FromSeconds(options.Value.ClaimIdleSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var db = redis.GetDatabase();
        // From the start of the stream: work queued before the first worker ever ran is not skipped.
        await ConsumerGroups.EnsureAsync(db, RedisKeys.AgentsWork, RedisKeys.AgentsGroup, "0-0");
        var claimIdle = TimeSpan.FromSeconds(options.Value.ClaimIdleSeconds);
        var lastHeartbeat = Stopwatch.GetTimestamp();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var ticket = signal.Ticket(RedisKeys.AgentsWork);
                var free = options.Value.MaxConcurrentIncidents - _inFlight.Count;
                var started = 0;
                if (free > 0)
                {
                    var claimed = await db.StreamAutoClaimAsync(
                        RedisKeys.AgentsWork, RedisKeys.AgentsGroup, _consumer, (long)claimIdle.TotalMilliseconds, "0-0", free);
                    started += Start(claimed.ClaimedEntries, stoppingToken);
                    free -= started;
                }

                if (free > 0)
                {
                    var fresh = await db.StreamReadGroupAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, _consumer, ">", free);
                    started += Start(fresh, stoppingToken);
                }

                if (Stopwatch.GetElapsedTime(lastHeartbeat) > claimIdle / 3)
                {
                    await HeartbeatAsync(db);
                    lastHeartbeat = Stopwatch.GetTimestamp();
                }

                if (started == 0)
                {
                    await StreamSignal.WaitAsync(_inFlight.IsEmpty ? ticket : Task.WhenAny([ticket, .. _inFlight.Values]), PollTimeout, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
            {
                // The stream or its group went away (a flushed or restored Redis): join it again rather than spin.
                AgentsLog.QueueReadFailed(logger, ex);
                await ConsumerGroups.EnsureAsync(db, RedisKeys.AgentsWork, RedisKeys.AgentsGroup, "0-0");
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                AgentsLog.QueueReadFailed(logger, ex);
                await Task.Delay(PollTimeout, stoppingToken);
            }
        }

        await Task.WhenAll(_inFlight.Values);
        await LeaveGroupAsync(db);
    }

    private async Task LeaveGroupAsync(IDatabase db)
    {
        try
        {
            await ConsumerGroups.LeaveAsync(db, RedisKeys.AgentsWork, RedisKeys.AgentsGroup, _consumer);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            AgentsLog.QueueReadFailed(logger, ex);
        }
    }

    private int Start(StreamEntry[] entries, CancellationToken stoppingToken)
    {
        var started = 0;
        foreach (var entry in entries.Where(e => !e.IsNull && !_inFlight.ContainsKey(e.Id)))
        {
            _inFlight[entry.Id] = ProcessAsync(entry, stoppingToken);
            started++;
        }

        return started;
    }

    private async Task ProcessAsync(StreamEntry entry, CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            var work = OpsJson.Deserialize<WorkItem>(entry["work"].ToString());
            ActivityContext.TryParse(OpsEventLog.TraceParentOf(entry), null, out var parent);
            using var activity = AgentsTelemetry.Source.StartActivity("analyse incident", ActivityKind.Consumer, parent);
            activity?.SetTag("incidentops.incident_id", work.IncidentId);
            activity?.SetTag("incidentops.work_reason", work.Reason);
            var holder = $"{_consumer}/{entry.Id}";
            await lease.AcquireAsync(work.IncidentId, holder, LeaseTtl, time, stoppingToken);
            _leased[entry.Id] = work.IncidentId;
            try
            {
                if (work.ActionId is { } actionId)
                {
                    await actions.RunAsync(work.IncidentId, actionId, stoppingToken);
                }
                else
                {
                    AgentsLog.PipelineStarted(logger, work.IncidentId, work.Reason);
                    await pipeline.RunAsync(work.IncidentId, stoppingToken);
                }

                await redis.GetDatabase().StreamAcknowledgeAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, entry.Id);
                AgentsLog.PipelineFinished(logger, work.IncidentId);
            }
            finally
            {
                _leased.TryRemove(entry.Id, out _);
                await lease.ReleaseAsync(work.IncidentId, holder);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Left pending on purpose: another worker (or this one, restarted) claims it and resumes.
        }
        catch (System.Text.Json.JsonException ex)
        {
            // A work item nobody can read would be claimed forever: acknowledge it and say so.
            AgentsLog.UnreadableWork(logger, entry.Id.ToString(), ex);
            await redis.GetDatabase().StreamAcknowledgeAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, entry.Id);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            AgentsLog.QueueReadFailed(logger, ex);
        }
        finally
        {
            _inFlight.TryRemove(entry.Id, out _);
        }
    }

    /// <summary>Resets the idle time of this worker's in-flight items so nobody claims a run that is still going.</summary>
    private async Task HeartbeatAsync(IDatabase db)
    {
        var ids = _inFlight.Keys.ToArray();
        if (ids.Length > 0)
        {
            await db.StreamClaimIdsOnlyAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, _consumer, 0, ids);
        }

        foreach (var (entryId, incidentId) in _leased)
        {
            await lease.RenewAsync(incidentId, $"{_consumer}/{entryId}", LeaseTtl);
        }
    }
}
