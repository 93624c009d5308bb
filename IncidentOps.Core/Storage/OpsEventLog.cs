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

    /// <summary>
    /// The id of the newest event ever appended: a reader starting after it has missed nothing. "0-0" when nothing ever
    /// was (a reader starting there reads everything from the first event, where "no cursor" would start at whatever is
    /// newest when it subscribes and miss what was appended in between). Once retention has emptied the log it is the
    /// log's last generated id, where a cursor of zero would read as "trimmed" and make every new reader resync.
    /// </summary>
    public async Task<string> LastIdAsync()
    {
        var newest = await Db.StreamRangeAsync(RedisKeys.OpsEvents, "-", "+", count: 1, messageOrder: Order.Descending);
        if (newest.Length > 0)
        {
            return newest[0].Id.ToString();
        }

        return await Db.KeyExistsAsync(RedisKeys.OpsEvents) ? (await StreamInfoAsync())["last-generated-id"].ToString() : StreamId.Zero.ToString();
    }

    /// <summary>Up to <paramref name="count"/> events strictly after <paramref name="after"/>, oldest first.</summary>
    public async Task<IReadOnlyList<OpsEvent>> ReadAfterAsync(StreamId after, int count)
    {
        var start = new StreamId(after.Milliseconds, after.Sequence + 1).ToString();
        var entries = await Db.StreamRangeAsync(RedisKeys.OpsEvents, start, "+", count);
        return [.. entries.Select(Read)];
    }

    /// <summary>Up to <paramref name="count"/> events strictly after <paramref name="after"/>, oldest first, each with the traceparent it was appended with.</summary>
    public async Task<IReadOnlyList<(OpsEvent Event, string? TraceParent)>> ReadTracedAfterAsync(StreamId after, int count)
    {
        var start = new StreamId(after.Milliseconds, after.Sequence + 1).ToString();
        var entries = await Db.StreamRangeAsync(RedisKeys.OpsEvents, start, "+", count);
        return [.. entries.Select(e => (Read(e), TraceParentOf(e)))];
    }

    /// <summary>
    /// Whether events after <paramref name="after"/> may have been trimmed away (retention or the length cap): the log
    /// has been trimmed and the cursor lies before its first remaining event. A reader for which this is true cannot
    /// replay from its cursor and must resync (reload the state). At worst the cursor was the last event trimmed and
    /// nothing after it was lost: a reload that was not needed, never a gap that goes unnoticed.
    /// </summary>
    public async Task<bool> TrimmedAfterAsync(StreamId after)
    {
        if (!await Db.KeyExistsAsync(RedisKeys.OpsEvents))
        {
            return false;
        }

        var fields = await StreamInfoAsync();
        var length = (long)fields["length"];
        if (!fields.TryGetValue("entries-added", out var added) || (long)added == length)
        {
            return false; // nothing was ever removed
        }

        if (length == 0)
        {
            return StreamId.TryParse(fields["last-generated-id"].ToString(), out var lastGenerated) && after < lastGenerated;
        }

        var first = (RedisResult[])fields["first-entry"]!;
        return StreamId.TryParse(first[0].ToString(), out var firstId) && after < firstId;
    }

    /// <summary>XINFO STREAM's fields by name (the client library's StreamInfo has no entries-added).</summary>
    private async Task<Dictionary<string, RedisResult>> StreamInfoAsync()
    {
        var info = (RedisResult[])(await Db.ExecuteAsync("XINFO", "STREAM", RedisKeys.OpsEvents))!;
        var fields = new Dictionary<string, RedisResult>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < info.Length; i += 2)
        {
            fields[info[i].ToString()] = info[i + 1];
        }

        return fields;
    }

    public static OpsEvent Read(StreamEntry entry) => EventEnvelope.Read(entry.Id.ToString(), entry["event"].ToString());

    public static string? TraceParentOf(StreamEntry entry) =>
        entry["traceparent"] is { IsNullOrEmpty: false } tp ? tp.ToString() : null;
}
