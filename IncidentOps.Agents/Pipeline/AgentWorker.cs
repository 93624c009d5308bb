using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// Reads <c>agents:urgent</c> (new incidents' first analysis) and then <c>agents:work</c> through the <c>agents</c> consumer
/// group and runs the pipeline for each item, up to <see cref="AgentOptions.MaxConcurrentIncidents"/> at once. New incidents go
/// first, <see cref="AgentOptions.MaxConcurrentNewIncidents"/> at a time in order of arrival: a quarter of the slots is kept for
/// urgent work, re-analyses are bounded by
/// <see cref="AgentOptions.MaxConcurrentReanalyses"/>, none starts while urgent work is in flight, and those running pause
/// between phases until it is done (on two cores, CPU shared with a dozen re-analyses made a new incident wait for all of
/// them; the re-analyses coalesce meanwhile, one pending per incident). An item is acknowledged only
/// when its pipeline finished; one that failed (a Redis time-out, say) is run again by this worker after
/// <see cref="RetryAfter"/>, counted as a delivery; items left unacknowledged by a dead worker are claimed after
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
    ILogger<AgentWorker> logger,
    AgentQueueGauges gauges) : BackgroundService
{
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxYield = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How soon this worker runs a failed item again. Left to the claim of a dead worker's items, a new incident whose
    /// analysis met a one-off Redis time-out waited a minute (in a storm on a starved machine, a dozen of them at once).
    /// </summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    /// <summary>This process's name in the consumer group, also recorded on the runs it makes.</summary>
    public static readonly string Identity = $"{Environment.MachineName}-{Environment.ProcessId}";

    private readonly string _consumer = Identity;
    private static readonly RedisKey[] Streams = [RedisKeys.AgentsUrgent, RedisKeys.AgentsWork];
    private readonly ConcurrentDictionary<WorkRef, Task> _inFlight = new();
    private readonly ConcurrentDictionary<WorkRef, string> _leased = new();
    private readonly ConcurrentDictionary<WorkRef, CancellationTokenSource> _runs = new();
    private readonly ConcurrentDictionary<WorkRef, long> _failed = new();

    private TimeSpan LeaseTtl => TimeSpan.FromSeconds(options.Value.ClaimIdleSeconds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var db = redis.GetDatabase();
        // From the start of the stream: work queued before the first worker ever ran is not skipped.
        await EnsureGroupsAsync(db);
        var claimIdle = TimeSpan.FromSeconds(options.Value.ClaimIdleSeconds);
        var lastHeartbeat = Stopwatch.GetTimestamp();

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var ticket = Task.WhenAny(signal.Ticket(RedisKeys.AgentsUrgent), signal.Ticket(RedisKeys.AgentsWork));
                var started = 0;
                foreach (var stream in Streams)
                {
                    // Regular work leaves a quarter of the slots to urgent work, and waits while there is any.
                    var regular = stream == RedisKeys.AgentsWork;
                    var reserve = regular ? Math.Max(1, options.Value.MaxConcurrentIncidents / 4) : 0;
                    var cap = regular ? Math.Min(options.Value.MaxConcurrentReanalyses, options.Value.MaxConcurrentIncidents - reserve) : options.Value.MaxConcurrentNewIncidents;
                    var free = regular && UrgentInFlight().Count > 0 ? 0
                        : Math.Min(options.Value.MaxConcurrentIncidents - _inFlight.Count, cap - _inFlight.Count(w => w.Key.Stream == stream));
                    if (free > 0 && DueRetries(stream, free) is { Length: > 0 } due)
                    {
                        // Claimed again by this worker (min idle RetryAfter: not from another worker that took it since),
                        // which counts the delivery, so an item that always fails is still dead-lettered.
                        var again = await db.StreamClaimAsync(stream, RedisKeys.AgentsGroup, _consumer, (long)RetryAfter.TotalMilliseconds, due);
                        foreach (var id in due)
                        {
                            _failed.TryRemove(new(stream, id), out _);
                        }

                        var taken = Start(stream, await WithoutPoisonAsync(db, stream, again), stoppingToken);
                        started += taken;
                        free -= taken;
                    }

                    if (free > 0)
                    {
                        var claimed = await db.StreamAutoClaimAsync(
                            stream, RedisKeys.AgentsGroup, _consumer, (long)claimIdle.TotalMilliseconds, "0-0", free);
                        var taken = Start(stream, await WithoutPoisonAsync(db, stream, claimed.ClaimedEntries), stoppingToken);
                        started += taken;
                        free -= taken;
                    }

                    if (free > 0)
                    {
                        started += Start(stream, await db.StreamReadGroupAsync(stream, RedisKeys.AgentsGroup, _consumer, ">", free), stoppingToken);
                    }
                }

                if (Stopwatch.GetElapsedTime(lastHeartbeat) > claimIdle / 3)
                {
                    await HeartbeatAsync(db);
                    // Acknowledged work is history nobody reads again: without this the stream grows forever.
                    foreach (var stream in Streams)
                    {
                        await ConsumerGroups.TrimAcknowledgedAsync(db, stream!);
                        await ConsumerGroups.RemoveGoneAsync(db, stream!, RedisKeys.AgentsGroup, claimIdle * 2, _consumer);
                    }

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
                await EnsureGroupsAsync(db);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
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
            foreach (var stream in Streams)
            {
                await ConsumerGroups.LeaveAsync(db, stream!, RedisKeys.AgentsGroup, _consumer);
            }
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
        {
            AgentsLog.QueueReadFailed(logger, ex);
        }
    }

    private static async Task EnsureGroupsAsync(IDatabase db)
    {
        foreach (var stream in Streams)
        {
            await ConsumerGroups.EnsureAsync(db, stream!, RedisKeys.AgentsGroup, "0-0");
        }
    }

    private int Start(RedisKey stream, StreamEntry[] entries, CancellationToken stoppingToken)
    {
        var started = 0;
        foreach (var entry in entries.Where(e => !e.IsNull && !_inFlight.ContainsKey(new(stream, e.Id))))
        {
            var work = new WorkRef(stream, entry.Id);
            var run = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            _runs[work] = run;
            _inFlight[work] = ProcessAsync(work, entry, run.Token, stoppingToken);
            started++;
        }

        return started;
    }

    /// <summary>
    /// Claimed entries delivered more than <see cref="AgentOptions.MaxDeliveries"/> times fail every worker that takes them:
    /// they are moved to <c>agents:dead</c> (with why) and acknowledged, instead of being retried forever.
    /// </summary>
    private async Task<StreamEntry[]> WithoutPoisonAsync(IDatabase db, RedisKey stream, StreamEntry[] claimed)
    {
        var keep = new List<StreamEntry>(claimed.Length);
        foreach (var entry in claimed.Where(e => !e.IsNull))
        {
            var pending = await db.StreamPendingMessagesAsync(stream, RedisKeys.AgentsGroup, 1, RedisValue.Null, entry.Id, entry.Id);
            if (pending is [{ DeliveryCount: var deliveries }] && deliveries > options.Value.MaxDeliveries)
            {
                await db.StreamAddAsync(RedisKeys.AgentsDead, [new("work", entry["work"]), new("id", entry.Id), new("deliveries", deliveries)]);
                await db.StreamAcknowledgeAsync(stream, RedisKeys.AgentsGroup, entry.Id);
                AgentsLog.DeadLettered(logger, entry.Id.ToString(), deliveries);
                gauges.DeadLetters = await db.StreamLengthAsync(RedisKeys.AgentsDead);
                continue;
            }

            keep.Add(entry);
        }

        return [.. keep];
    }

    private async Task ProcessAsync(WorkRef workRef, StreamEntry entry, CancellationToken runToken, CancellationToken stoppingToken)
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
            _leased[workRef] = work.IncidentId;
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
                    // Alerts committed from here on queue a new analysis; those before it are in what the pipeline reads next.
                    await redis.GetDatabase().KeyDeleteAsync(RedisKeys.AnalysisPending(work.IncidentId));
                    AgentsLog.PipelineStarted(logger, work.IncidentId, work.Reason);
                    await pipeline.RunAsync(work.IncidentId, runToken, workRef.Stream == RedisKeys.AgentsWork ? YieldToUrgentAsync : null);
                }

                await redis.GetDatabase().StreamAcknowledgeAsync(workRef.Stream, RedisKeys.AgentsGroup, entry.Id);
                AgentsLog.PipelineFinished(logger, work.IncidentId);
            }
            finally
            {
                _leased.TryRemove(workRef, out _);
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
            await redis.GetDatabase().StreamAcknowledgeAsync(workRef.Stream, RedisKeys.AgentsGroup, entry.Id);
        }
        catch (Exception ex)
        {
            // Left pending and run again here shortly (another worker claims it after ClaimIdleSeconds if this one dies);
            // dead-lettered after MaxDeliveries.
            _failed[workRef] = Stopwatch.GetTimestamp();
            AgentsLog.WorkFailed(logger, entry.Id.ToString(), incidentId ?? "?", RetryAfter.TotalSeconds, ex);
        }
        finally
        {
            _inFlight.TryRemove(workRef, out _);
            if (_runs.TryRemove(workRef, out var run))
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
        foreach (var (work, incidentId) in _leased)
        {
            if (!await lease.RenewAsync(incidentId, $"{_consumer}/{work.Id}", LeaseTtl) && _runs.TryGetValue(work, out var run))
            {
                await run.CancelAsync();
            }
        }

        foreach (var stream in _inFlight.Keys.Where(w => !(_runs.TryGetValue(w, out var run) && run.IsCancellationRequested)).GroupBy(w => w.Stream))
        {
            await db.StreamClaimIdsOnlyAsync(stream.Key, RedisKeys.AgentsGroup, _consumer, 0, [.. stream.Select(w => w.Id)]);
        }
    }

    /// <summary>Up to <paramref name="max"/> of this worker's failed items of <paramref name="stream"/> due to run again.</summary>
    private RedisValue[] DueRetries(RedisKey stream, int max) =>
        [.. _failed.Where(f => f.Key.Stream == stream && Stopwatch.GetElapsedTime(f.Value) >= RetryAfter).Take(max).Select(f => f.Key.Id)];

    private List<Task> UrgentInFlight() => [.. _inFlight.Where(w => w.Key.Stream == RedisKeys.AgentsUrgent).Select(w => w.Value)];

    /// <summary>
    /// Holds a re-analysis before its next phase until no new incident's analysis is in flight, for at most
    /// <see cref="MaxYield"/> (so a re-analysis holding the lease an urgent run waits for cannot hold it forever).
    /// </summary>
    private async Task YieldToUrgentAsync(CancellationToken cancellationToken)
    {
        var since = Stopwatch.GetTimestamp();
        while (UrgentInFlight() is { Count: > 0 } urgent && MaxYield - Stopwatch.GetElapsedTime(since) is { Ticks: > 0 } left)
        {
            await Task.WhenAny(Task.WhenAny(urgent), Task.Delay(left, cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>A work item: its stream and its entry id there.</summary>
    private readonly record struct WorkRef(RedisKey Stream, RedisValue Id);
}
