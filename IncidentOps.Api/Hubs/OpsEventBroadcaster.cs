using System.Collections.Concurrent;
using System.Threading.Channels;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Tails <c>ops:events</c> (every API replica tails it itself: the stream is the backplane) and hands what arrived to the
/// live subscriptions of this replica's hub as frames: what was appended within <see cref="HubLimitOptions.BatchMilliseconds"/>
/// goes out as one message, serialized once for all. Each subscription queues at most
/// <see cref="HubLimitOptions.MaxQueuedFrames"/> frames (references to the shared ones); one further behind is ended with a
/// resync instead of holding memory for it, so a slow screen never slows the others.
/// </summary>
public sealed class OpsEventBroadcaster(OpsEventLog log, StreamSignal signal, IOptions<HubLimitOptions> options, ILogger<OpsEventBroadcaster> logger) : BackgroundService
{
    private const int PageSize = 500;
    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Guid, Channel<OpsFrame>> _subscribers = new();

    public Subscription Subscribe()
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<OpsFrame>(new BoundedChannelOptions(options.Value.MaxQueuedFrames) { SingleReader = true, SingleWriter = true });
        _subscribers[id] = channel;
        return new Subscription(channel.Reader, () => _subscribers.TryRemove(id, out _));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        StreamId? last = null;
        var batch = TimeSpan.FromMilliseconds(options.Value.BatchMilliseconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                last ??= StreamId.TryParse(await log.LastIdAsync(), out var newest) ? newest : StreamId.Zero;
                var ticket = signal.Ticket(RedisKeys.OpsEvents);
                var events = await log.ReadTracedAfterAsync(last.Value, PageSize);
                if (events.Count > 0)
                {
                    var frame = new OpsFrame([.. events.Select(e => e.Event)]);
                    using (ApiTelemetry.StartBroadcast(events.Select(e => e.TraceParent), frame.Events.Count, _subscribers.Count))
                    {
                        Publish(frame);
                    }

                    last = frame.Last;
                }

                if (events.Count < PageSize)
                {
                    // Caught up: wait for the next append, then let a few ms of events gather into one frame.
                    await StreamSignal.WaitAsync(ticket, PollTimeout, stoppingToken);
                    if (ticket.IsCompleted && batch > TimeSpan.Zero)
                    {
                        await Task.Delay(batch, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
            {
                ApiLog.TailFailed(logger, ex);
                await Task.Delay(PollTimeout, stoppingToken);
            }
        }
    }

    private void Publish(OpsFrame frame)
    {
        foreach (var (id, channel) in _subscribers)
        {
            if (!channel.Writer.TryWrite(frame))
            {
                // Dropping a frame silently would break "nothing missed": end the subscription with a resync instead;
                // the client reloads the state and subscribes from its lastEventId.
                channel.Writer.TryComplete(new HubException(
                    $"{OpsHub.ResyncMessage} this connection fell more than {options.Value.MaxQueuedFrames} frames behind; reload the state and subscribe from its lastEventId."));
                _subscribers.TryRemove(id, out _);
                ApiTelemetry.RecordResync("overflow");
                ApiLog.SubscriberOverflow(logger, id);
            }
        }
    }
}

public sealed class Subscription(ChannelReader<OpsFrame> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<OpsFrame> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
