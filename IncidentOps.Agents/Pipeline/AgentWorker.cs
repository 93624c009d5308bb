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
    AttachmentReader attachments,
    IncidentLease lease,
    TimeProvider time,
    IOptions<AgentOptions> options,
    ILogger<AgentWorker> logger) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    /// <summary>This process's name in the consumer group, also recorded on the runs it makes.</summary>
    public static readonly string Identity = $"{Environment.MachineName}-{Environment.ProcessId}";

    private readonly string _consumer = Identity;
    private readonly ConcurrentDictionary<RedisValue, Task> _inFlight = new();
    private readonly ConcurrentDictionary<RedisValue, string> _leased = new();
    private readonly ConcurrentDictionary<RedisValue, CancellationTokenSource> _runs = new();

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
                    started += Start(await WithoutPoisonAsync(db, claimed.ClaimedEntries), stoppingToken);
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
                    // Acknowledged work is history nobody reads again: without this the stream grows forever.
                    await ConsumerGroups.TrimAcknowledgedAsync(db, RedisKeys.AgentsWork);
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
            var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _runs[entry.Id] = run;
            _inFlight[entry.Id] = ProcessAsync(entry, run.Token, stoppingToken);
            started++;
        }

        return started;
    }

    /// <summary>
    /// Claimed entries delivered more than <see cref="AgentOptions.MaxDeliveries"/> times fail every worker that takes them:
    /// they are moved to <c>agents:dead</c> (with why) and acknowledged, instead of being retried forever.
    /// </summary>
    private async Task<StreamEntry[]> WithoutPoisonAsync(IDatabase db, StreamEntry[] claimed)
    {
        var keep = new List<StreamEntry>(claimed.Length);
        foreach (var entry in claimed.Where(e => !e.IsNull))
        {
            var pending = await db.StreamPendingMessagesAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, 1, RedisValue.Null, entry.Id, entry.Id);
            if (pending is [{ DeliveryCount: var deliveries }] && deliveries > options.Value.MaxDeliveries)
            {
                await db.StreamAddAsync(RedisKeys.AgentsDead, [new("work", entry["work"]), new("id", entry.Id), new("deliveries", deliveries)]);
                await db.StreamAcknowledgeAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, entry.Id);
                AgentsLog.DeadLettered(logger, entry.Id.ToString(), deliveries);
                continue;
            }

            keep.Add(entry);
        }

        return [.. keep];
    }

    private async Task ProcessAsync(StreamEntry entry, CancellationToken runToken, CancellationToken stoppingToken)
    {
        await Task.Yield();
        string? incidentId = null;
        try
        {
            var work = OpsJson.Deserialize<WorkItem>(entry["work"].ToString());
            incidentId = work.IncidentId;
            ActivityContext.TryParse(OpsEventLog.TraceParentOf(entry), null, out var parent);
            using var activity = AgentsTelemetry.Source.StartActivity("analyse incident", ActivityKind.Consumer, parent);
            activity?.SetTag("incidentops.incident_id", work.IncidentId);
            activity?.SetTag("incidentops.work_reason", work.Reason);
            var holder = $"{_consumer}/{entry.Id}";
            await lease.AcquireAsync(work.IncidentId, holder, LeaseTtl, time, runToken);
            _leased[entry.Id] = work.IncidentId;
            try
            {
                if (work.ActionId is { } actionId)
                {
                    await actions.RunAsync(work.IncidentId, actionId, runToken);
                }
                else if (work.AttachmentId is { } attachmentId)
                {
                    await attachments.RunAsync(work.IncidentId, attachmentId, runToken);
                }
                else
                {
                    AgentsLog.PipelineStarted(logger, work.IncidentId, work.Reason);
                    await pipeline.RunAsync(work.IncidentId, runToken);
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
        catch (OperationCanceledException) when (runToken.IsCancellationRequested)
        {
            // The incident's lease was lost (this worker was cut off long enough for another to take over): stop, leave it to that one.
            AgentsLog.LeaseLost(logger, incidentId ?? "?", entry.Id.ToString());
        }
        catch (System.Text.Json.JsonException ex)
        {
            // A work item nobody can read would be claimed forever: acknowledge it and say so.
            AgentsLog.UnreadableWork(logger, entry.Id.ToString(), ex);
            await redis.GetDatabase().StreamAcknowledgeAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, entry.Id);
        }
        catch (Exception ex)
        {
            // Left pending: it is claimed again after ClaimIdleSeconds, and dead-lettered after MaxDeliveries.
            AgentsLog.WorkFailed(logger, entry.Id.ToString(), incidentId ?? "?", ex);
        }
        finally
        {
            _inFlight.TryRemove(entry.Id, out _);
            if (_runs.TryRemove(entry.Id, out var run))
            {
                run.Dispose();
            }
        }
    }

    /// <summary>
    /// Renews this worker's incident leases, cancelling any run whose lease was lost (another worker took the incident
    /// over), then resets the idle time of the items still in flight so nobody claims a run that is still going.
    /// </summary>
    private async Task HeartbeatAsync(IDatabase db)
    {
        foreach (var (entryId, incidentId) in _leased)
        {
            if (!await lease.RenewAsync(incidentId, $"{_consumer}/{entryId}", LeaseTtl) && _runs.TryGetValue(entryId, out var run))
            {
                await run.CancelAsync();
            }
        }

        var ids = _inFlight.Keys.Where(id => !(_runs.TryGetValue(id, out var run) && run.IsCancellationRequested)).ToArray();
        if (ids.Length > 0)
        {
            await db.StreamClaimIdsOnlyAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, _consumer, 0, ids);
        }
    }
}
