using System.Collections.Concurrent;
using System.Threading.Channels;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Tails <c>ops:events</c> (every API replica tails it itself: the stream is the backplane) and
/// hands each new event to the live subscriptions of this replica's hub.
/// </summary>
public sealed class OpsEventBroadcaster(OpsEventLog log, StreamSignal signal, ILogger<OpsEventBroadcaster> logger) : BackgroundService
{
    /// <summary>How many events a slow subscriber may have queued before it is told to resubscribe.</summary>
    public const int SubscriberBuffer = 10_000;

    private static readonly TimeSpan PollTimeout = TimeSpan.FromSeconds(1);
    private readonly ConcurrentDictionary<Guid, Channel<OpsEvent>> _subscribers = new();

    public Subscription Subscribe()
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<OpsEvent>(new BoundedChannelOptions(SubscriberBuffer) { SingleReader = true });
        _subscribers[id] = channel;
        return new Subscription(channel.Reader, () => _subscribers.TryRemove(id, out _));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        StreamId? last = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                last ??= StreamId.TryParse(await log.LastIdAsync(), out var newest) ? newest : StreamId.Zero;
                var ticket = signal.Ticket(RedisKeys.OpsEvents);
                var events = await log.ReadAfterAsync(last.Value, 500);
                foreach (var evt in events)
                {
                    Publish(evt);
                    last = StreamId.Parse(evt.Id);
                }

                if (events.Count == 0)
                {
                    await StreamSignal.WaitAsync(ticket, PollTimeout, stoppingToken);
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

    private void Publish(OpsEvent evt)
    {
        foreach (var (id, channel) in _subscribers)
        {
            if (!channel.Writer.TryWrite(evt))
            {
                // Dropping an event silently would break "nothing missed": end the subscription with
                // an error instead, and the client resubscribes from the last id it saw.
                channel.Writer.TryComplete(new InvalidOperationException("Subscriber fell behind; resubscribe from the last event id."));
                _subscribers.TryRemove(id, out _);
                ApiLog.SubscriberOverflow(logger, id);
            }
        }
    }
}

public sealed class Subscription(ChannelReader<OpsEvent> reader, Action unsubscribe) : IDisposable
{
    public ChannelReader<OpsEvent> Reader { get; } = reader;

    public void Dispose() => unsubscribe();
}
