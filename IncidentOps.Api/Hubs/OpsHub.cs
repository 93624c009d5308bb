using System.Runtime.CompilerServices;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.SignalR;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// The live hub. A client calls the streaming method <see cref="Subscribe"/> with the id of the last
/// event it saw (or null for "from now on") and receives, in order and once each, every event after it:
/// first the replay from the log, then the live events.
/// </summary>
public sealed class OpsHub(OpsEventLog log, OpsEventBroadcaster broadcaster, HubConnectionCounter counter) : Hub
{
    public const string Path = "/hubs/ops";
    private const int ReplayPage = 500;

    public async IAsyncEnumerable<OpsEvent> Subscribe(string? afterId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        StreamId last;
        if (afterId is null)
        {
            last = default;
        }
        else if (!StreamId.TryParse(afterId, out last))
        {
            throw new HubException($"afterId '{afterId}' is not an event id (expected '<milliseconds>-<sequence>').");
        }

        // Register for live events before reading the log, so nothing appended in between is lost;
        // anything seen twice is dropped by id below.
        using var subscription = broadcaster.Subscribe();
        if (afterId is null)
        {
            last = StreamId.TryParse(await log.LastIdAsync(), out var newest) ? newest : StreamId.Zero;
        }

        while (true)
        {
            var page = await log.ReadAfterAsync(last, ReplayPage);
            foreach (var evt in page)
            {
                yield return evt;
                last = StreamId.Parse(evt.Id);
            }

            if (page.Count < ReplayPage)
            {
                break;
            }
        }

        await foreach (var evt in subscription.Reader.ReadAllAsync(cancellationToken))
        {
            var id = StreamId.Parse(evt.Id);
            if (id > last)
            {
                last = id;
                yield return evt;
            }
        }
    }

    public override Task OnConnectedAsync()
    {
        counter.Connected();
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        counter.Disconnected();
        return base.OnDisconnectedAsync(exception);
    }
}

public sealed class HubConnectionCounter
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Connected() => Interlocked.Increment(ref _count);

    public void Disconnected() => Interlocked.Decrement(ref _count);
}
