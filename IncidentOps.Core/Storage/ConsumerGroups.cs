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
}
