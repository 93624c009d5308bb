using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using StackExchange.Redis;

namespace IncidentOps.Faults.Tests;

/// <summary>Consumers of killed workers leave their group once their pending entries are claimed; a live one stays.</summary>
public class DeadConsumerTests : IAsyncLifetime
{
    private const string Stream = "{io}:test:work";
    private const string Group = "agents";
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task A_gone_consumer_is_removed_once_nothing_is_pending_for_it_and_never_before()
    {
        var db = _redis.Db;
        await ConsumerGroups.EnsureAsync(db, Stream, Group, "0-0");
        var first = await db.StreamAddAsync(Stream, "incident", "inc_1");
        await db.StreamAddAsync(Stream, "incident", "inc_2");
        // Two workers that died: one after finishing its item, one holding an item it never acknowledged.
        var finished = await db.StreamReadGroupAsync(Stream, Group, "killed-idle", ">", 1);
        await db.StreamAcknowledgeAsync(Stream, Group, finished[0].Id);
        await db.StreamReadGroupAsync(Stream, Group, "killed-holding", ">", 1);
        await db.StreamAddAsync(Stream, "incident", "inc_3");
        var done = await db.StreamReadGroupAsync(Stream, Group, "live", ">", 1);
        await db.StreamAcknowledgeAsync(Stream, Group, done[0].Id);
        var idle = TimeSpan.FromMilliseconds(200);

        var removed = await Eventually.ValueAsync(async () =>
        {
            await db.StreamReadGroupAsync(Stream, Group, "live", ">", 1); // the live worker's poll keeps it fresh
            var gone = await ConsumerGroups.RemoveGoneAsync(db, Stream, Group, idle, self: "live");
            return gone.Count > 0 ? gone : null;
        }, TimeSpan.FromSeconds(10), "the idle dead consumer to be removed");

        Assert.Equal(["killed-idle"], removed);
        var names = (await db.StreamConsumerInfoAsync(Stream, Group)).Select(c => c.Name.ToString()).Order().ToList();
        Assert.Equal(["killed-holding", "live"], names);

        // The live worker claims what the dead one held; then that consumer goes too, and its entry was not lost.
        // (Its entry was read after the other consumer's last read: it may need a few more ms to count as idle.)
        var claimed = StreamAutoClaimResult.Null;
        await Eventually.TrueAsync(async () => (claimed = await db.StreamAutoClaimAsync(Stream, Group, "live", (long)idle.TotalMilliseconds, "0-0", 10)).ClaimedEntries.Length > 0,
            TimeSpan.FromSeconds(10), "the dead consumer's entry claimed");
        Assert.Single(claimed.ClaimedEntries);
        Assert.NotEqual(first, claimed.ClaimedEntries[0].Id);
        var removedLater = await Eventually.ValueAsync(async () =>
        {
            var gone = await ConsumerGroups.RemoveGoneAsync(db, Stream, Group, idle, self: "live");
            return gone.Count > 0 ? gone : null;
        }, TimeSpan.FromSeconds(10), "the claimed-from consumer to be removed");
        Assert.Equal(["killed-holding"], removedLater);
        Assert.Equal(1, (await db.StreamPendingAsync(Stream, Group)).PendingMessageCount);
    }
}
