using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>The <c>ops:events</c> stream: append, read after an id, find the newest id.</summary>
public sealed class OpsEventLog(IConnectionMultiplexer redis)
{
    private IDatabase Db => redis.GetDatabase();

    /// <summary>Appends an event; if <paramref name="run"/> is given, stores it on the incident in the same atomic step.</summary>
    public Task<string> AppendAsync(PendingEvent evt, string? traceparent, AgentRun? run = null) =>
        run is null
            ? AppendAsync(evt, traceparent, RedisKeys.OpsEvents, string.Empty, string.Empty)
            : AppendAsync(evt, traceparent, RedisKeys.AgentRuns(evt.IncidentId ?? string.Empty), RedisKeys.PhaseField(run.Phase), OpsJson.Serialize(run));

    /// <summary>Appends an event and, in the same atomic step, sets <paramref name="field"/> of the hash <paramref name="hash"/> (none when the field is empty).</summary>
    public async Task<string> AppendAsync(PendingEvent evt, string? traceparent, RedisKey hash, string field, string value)
    {
        var incidentId = evt.IncidentId ?? string.Empty;
        RedisKey[] keys =
        [
            RedisKeys.OpsEvents,
            hash,
            evt.OnTimeline && incidentId.Length > 0 ? RedisKeys.Timeline(incidentId) : RedisKeys.OpsEvents,
        ];
        RedisValue[] args =
        [
            EventEnvelope.Serialize(evt), traceparent ?? string.Empty, evt.OnTimeline && incidentId.Length > 0 ? 1 : 0,
            field, value,
            RedisKeys.StreamNotify, RedisScripts.OpsEventsMaxLength,
        ];
        return (await Db.ScriptEvaluateAsync(RedisScripts.AppendEvent, keys, args)).ToString();
    }

    /// <summary>The id of the newest event, or null when the log is empty.</summary>
    public async Task<string?> LastIdAsync()
    {
        var newest = await Db.StreamRangeAsync(RedisKeys.OpsEvents, "-", "+", count: 1, messageOrder: Order.Descending);
        return newest.Length == 0 ? null : newest[0].Id.ToString();
    }

    /// <summary>Up to <paramref name="count"/> events strictly after <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OpsEvent>> ReadAfterAsync(StreamId after, int count)
    {
        var start = new StreamId(after.Milliseconds, after.Sequence + 1).ToString();
        var entries = await Db.StreamRangeAsync(RedisKeys.OpsEvents, start, "+", count);
        return [.. entries.Select(Read)];
    }

    public static OpsEvent Read(StreamEntry entry) => EventEnvelope.Read(entry.Id.ToString(), entry["event"].ToString());

    public static string? TraceParentOf(StreamEntry entry) =>
        entry["traceparent"] is { IsNullOrEmpty: false } tp ? tp.ToString() : null;
}
