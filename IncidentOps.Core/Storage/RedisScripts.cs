namespace IncidentOps.Core.Storage;

/// <summary>
/// The Lua scripts that make the writes that must happen together happen together: Redis runs a
/// script atomically, so an incident, its events and its work item are stored all or not at all.
/// </summary>
internal static class RedisScripts
{
    /// <summary>Upper bound on the event log's length (approximate trim): old history beyond it is dropped.</summary>
    public const int OpsEventsMaxLength = 1_000_000;

    // KEYS: 1 incident hash, 2 dedup key, 3 ops:events, 4 agents:work, 5 incident index, 6 open set, 7 timeline
    // ARGV: 1 expected version, 2 new version, 3 doc, 4 incident id, 5 detected ms, 6 is open (1/0),
    //       7 expected dedup target ('' = none), 8 point dedup here (1/0), 9 work item ('' = none),
    //       10 traceparent, 11 notify channel, 12 max stream length, 13 event count,
    //       then per event: body JSON (envelope without id), on timeline (1/0)
    public const string CommitIncident = """
        local current = redis.call('HGET', KEYS[1], 'version') or '0'
        if current ~= ARGV[1] then return {'conflict', current} end
        local dedup = redis.call('GET', KEYS[2]) or ''
        if dedup ~= ARGV[7] then return {'conflict', dedup} end
        redis.call('HSET', KEYS[1], 'doc', ARGV[3], 'version', ARGV[2])
        if ARGV[8] == '1' then redis.call('SET', KEYS[2], ARGV[4]) end
        redis.call('ZADD', KEYS[5], ARGV[5], ARGV[4])
        if ARGV[6] == '1' then redis.call('SADD', KEYS[6], ARGV[4]) else redis.call('SREM', KEYS[6], ARGV[4]) end
        local result = {'ok'}
        local n = tonumber(ARGV[13])
        for i = 0, n - 1 do
          local body = ARGV[14 + i * 2]
          local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[12], '*', 'event', body, 'traceparent', ARGV[10])
          result[#result + 1] = id
          if ARGV[15 + i * 2] == '1' then
            redis.call('RPUSH', KEYS[7], '{"id":"' .. id .. '",' .. string.sub(body, 2))
          end
        end
        if ARGV[9] ~= '' then
          redis.call('XADD', KEYS[4], '*', 'work', ARGV[9], 'traceparent', ARGV[10])
          redis.call('PUBLISH', ARGV[11], KEYS[4])
        end
        if n > 0 then redis.call('PUBLISH', ARGV[11], KEYS[3]) end
        return result
        """;

    // KEYS: 1 ops:events, 2 hash to write (or any key when none), 3 timeline
    // ARGV: 1 body JSON, 2 traceparent, 3 on timeline (1/0), 4 hash field ('' = none), 5 hash value,
    //       6 notify channel, 7 max stream length
    public const string AppendEvent = """
        if ARGV[4] ~= '' then redis.call('HSET', KEYS[2], ARGV[4], ARGV[5]) end
        local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[7], '*', 'event', ARGV[1], 'traceparent', ARGV[2])
        if ARGV[3] == '1' then
          redis.call('RPUSH', KEYS[3], '{"id":"' .. id .. '",' .. string.sub(ARGV[1], 2))
        end
        redis.call('PUBLISH', ARGV[6], KEYS[1])
        return id
        """;
}
