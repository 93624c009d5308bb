using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>Production changes per service, by time, for "what changed just before this broke".</summary>
public sealed class ChangeLog(IConnectionMultiplexer redis, OpsEventLog log)
{
    /// <summary>Changes older than this are dropped from a service's log as new ones arrive.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    public async Task<string> RecordAsync(ChangeEvent change, string? traceparent)
    {
        var db = redis.GetDatabase();
        var key = RedisKeys.Changes(change.Service);
        var transaction = db.CreateTransaction();
        _ = transaction.SortedSetAddAsync(key, OpsJson.Serialize(change), change.At.ToUnixTimeMilliseconds());
        _ = transaction.SortedSetRemoveRangeByScoreAsync(key, double.NegativeInfinity, (change.At - Kept).ToUnixTimeMilliseconds());
        await transaction.ExecuteAsync();
        return await log.AppendAsync(new PendingEvent(EventTypes.ChangeRecorded, null, change.At, change, OnTimeline: false), traceparent);
    }

    /// <summary>The service's changes in [from, to], newest first.</summary>
    public async Task<IReadOnlyList<ChangeEvent>> BetweenAsync(string service, DateTimeOffset from, DateTimeOffset to)
    {
        var values = await redis.GetDatabase().SortedSetRangeByScoreAsync(
            RedisKeys.Changes(service), from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), order: Order.Descending);
        return [.. values.Select(v => OpsJson.Deserialize<ChangeEvent>(v.ToString()))];
    }
}
