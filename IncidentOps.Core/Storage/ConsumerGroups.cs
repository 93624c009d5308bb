using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>Joining and leaving the consumer groups of the streams.</summary>
public static class ConsumerGroups
{
    /// <summary>Creates the group if it does not exist yet (at <paramref name="startId"/>), creating the stream too.</summary>
    public static async Task EnsureAsync(IDatabase db, string stream, string group, string startId)
    {
        try
        {
            await db.StreamCreateConsumerGroupAsync(stream, group, startId, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
        }
    }

    /// <summary>
    /// On a clean shutdown, removes this process's consumer so the group does not collect one dead consumer
    /// per restart, but only when it holds no pending entries: deleting a consumer drops its pending list,
    /// and those entries must stay claimable by another worker.
    /// </summary>
    public static async Task LeaveAsync(IDatabase db, string stream, string group, string consumer)
    {
        var pending = await db.StreamPendingMessagesAsync(stream, group, 1, consumer);
        if (pending.Length == 0)
        {
            await db.StreamDeleteConsumerAsync(stream, group, consumer);
        }
    }

    /// <summary>
    /// Removes the consumers of workers that are gone: idle longer than <paramref name="idleLongerThan"/> (a live worker
    /// reads every second, which resets its idle time) and holding no pending entries. One that still holds entries
    /// stays until a live worker has claimed them (XAUTOCLAIM), so nothing claimable is dropped; a SIGKILLed worker
    /// never runs <see cref="LeaveAsync"/>, and before this each restart left one more consumer in the group.
    /// Returns the names removed.
    /// </summary>
    public static async Task<IReadOnlyList<string>> RemoveGoneAsync(IDatabase db, string stream, string group, TimeSpan idleLongerThan, string self)
    {
        var removed = new List<string>();
        foreach (var consumer in await db.StreamConsumerInfoAsync(stream, group))
        {
            if (consumer.Name != self && consumer.PendingMessageCount == 0 && consumer.IdleTimeInMilliseconds > idleLongerThan.TotalMilliseconds
                && await db.StreamDeleteConsumerAsync(stream, group, consumer.Name) == 0)
            {
                removed.Add(consumer.Name!);
            }
        }

        return removed;
    }

    /// <summary>
    /// Removes the entries every consumer group is done with: below the oldest entry still pending (delivered,
    /// not acknowledged) and not after the last one delivered, in every group. Unacknowledged and unread work
    /// always stays. Both bounds only ever move forward, so a bound read a moment ago is still safe to trim to.
    /// A stream nobody has joined yet is left alone: all of it is still to be read. Returns the entries removed.
    /// </summary>
    public static async Task<long> TrimAcknowledgedAsync(IDatabase db, string stream) =>
        await ConsumedBoundAsync(db, stream) is { } keepFrom
            ? (long)await db.ExecuteAsync("XTRIM", stream, "MINID", keepFrom.ToString())
            : 0;

    /// <summary>
    /// The first entry some consumer group still needs (its oldest pending entry, or the one after its last delivered),
    /// the lowest over every group; null for a missing stream or one with no groups. Entries below it are done with.
    /// </summary>
    public static async Task<StreamId?> ConsumedBoundAsync(IDatabase db, string stream)
    {
        if (!await db.KeyExistsAsync(stream))
        {
            return null;
        }

        var groups = await db.StreamGroupInfoAsync(stream);
        if (groups.Length == 0)
        {
            return null;
        }

        StreamId? keepFrom = null;
        foreach (var group in groups)
        {
            var delivered = StreamId.Parse(group.LastDeliveredId ?? "0-0");
            var bound = new StreamId(delivered.Milliseconds, delivered.Sequence + 1);
            if (group.PendingMessageCount > 0
                && StreamId.TryParse((await db.StreamPendingAsync(stream, group.Name)).LowestPendingMessageId.ToString(), out var oldestPending)
                && oldestPending < bound)
            {
                bound = oldestPending;
            }

            keepFrom = keepFrom is { } k && k < bound ? k : bound;
        }

        return keepFrom;
    }
}
