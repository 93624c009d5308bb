using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>Production changes per service, by time, for "what changed just before this broke".</summary>
public sealed class ChangeLog(IConnectionMultiplexer redis, TimeProvider time)
{
    /// <summary>Changes older than this are dropped from a service's log as new ones arrive.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    /// <summary>
    /// Stores the change and its <c>change.recorded</c> event in one atomic step. The same change delivered again (same id:
    /// see <see cref="ChangeValidation"/>) changes nothing and returns null.
    /// </summary>
    public async Task<string?> RecordAsync(ChangeEvent change, string? traceparent)
    {
        var body = EventEnvelope.Serialize(new PendingEvent(EventTypes.ChangeRecorded, null, change.At, change, OnTimeline: false));
        var result = await redis.GetDatabase().ScriptEvaluateAsync(RedisScripts.RecordChange,
            [RedisKeys.Changes(change.Service), RedisKeys.OpsEvents],
            [OpsJson.Serialize(change), change.At.ToUnixTimeMilliseconds(), (time.GetUtcNow() - Kept).ToUnixTimeMilliseconds(), body,
             traceparent ?? string.Empty, RedisKeys.StreamNotify, RedisScripts.OpsEventsMaxLength]);
        return result.ToString() is { Length: > 0 } id ? id : null;
    }

    /// <summary>The service's changes in [from, to], newest first.</summary>
    public async Task<IReadOnlyList<ChangeEvent>> BetweenAsync(string service, DateTimeOffset from, DateTimeOffset to)
    {
        var values = await redis.GetDatabase().SortedSetRangeByScoreAsync(
            RedisKeys.Changes(service), from.ToUnixTimeMilliseconds(), to.ToUnixTimeMilliseconds(), order: Order.Descending);
        return [.. values.Select(v => OpsJson.Deserialize<ChangeEvent>(v.ToString()))];
    }
}
