namespace IncidentOps.Core.Storage;

/// <summary>
/// The Lua scripts that make the writes that must happen together happen together: Redis runs a
/// script atomically, so an incident, its events and its work item are stored all or not at all.
/// </summary>
internal static class RedisScripts
{
    /// <summary>Upper bound on the event log's length (approximate trim): old history beyond it is dropped.</summary>
    public const int OpsEventsMaxLength = 1_000_000;

    // KEYS: 1 incident hash, 2 ops:events, 3 the work stream (agents:urgent for a new incident, else agents:work),
    //       4 incident index, 5 open set, 6 timeline, 7 the incident's analysis-pending marker, 8 the incident's alerts hash,
    //       9.. one per index entry (dedup / grouping keys)
    // ARGV: 1 expected version, 2 new version, 3 doc, 4 incident id, 5 detected ms, 6 is open (1/0),
    //       7 work item ('' = none; queued only when no analysis of the incident is pending already), 8 traceparent, 9 notify channel, 10 max stream length,
    //       11 index count, then per index: expected ('' = absent), set (1/0), new value;
    //       then event count, then per event: body JSON (envelope without id), on timeline (1/0);
    //       then alert count, then per alert: id, JSON (written into the alerts hash)
    public const string CommitIncident = """
        local current = redis.call('HGET', KEYS[1], 'version') or '0'
        if current ~= ARGV[1] then return {'conflict', 'version'} end
        local nIndex = tonumber(ARGV[11])
        for i = 0, nIndex - 1 do
          local value = redis.call('GET', KEYS[9 + i]) or ''
          if value ~= ARGV[12 + i * 3] then return {'conflict', KEYS[9 + i]} end
        end
        redis.call('HSET', KEYS[1], 'doc', ARGV[3], 'version', ARGV[2])
        for i = 0, nIndex - 1 do
          if ARGV[13 + i * 3] == '1' then redis.call('SET', KEYS[9 + i], ARGV[14 + i * 3]) end
        end
        redis.call('ZADD', KEYS[4], ARGV[5], ARGV[4])
        if ARGV[6] == '1' then redis.call('SADD', KEYS[5], ARGV[4]) else redis.call('SREM', KEYS[5], ARGV[4]) end
        local result = {'ok'}
        local e = 12 + nIndex * 3
        local n = tonumber(ARGV[e])
        for i = 0, n - 1 do
          local body = ARGV[e + 1 + i * 2]
          local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[10], '*', 'event', body, 'traceparent', ARGV[8])
          result[#result + 1] = id
          if ARGV[e + 2 + i * 2] == '1' then
            redis.call('RPUSH', KEYS[6], '{"id":"' .. id .. '",' .. string.sub(body, 2))
          end
        end
        local a = e + 1 + n * 2
        for i = 0, tonumber(ARGV[a]) - 1 do
          redis.call('HSET', KEYS[8], ARGV[a + 1 + i * 2], ARGV[a + 2 + i * 2])
        end
        -- Coalesced: one pending analysis per incident. The marker expires so a lost queue (a flushed stream) heals.
        if ARGV[7] ~= '' and redis.call('SET', KEYS[7], '1', 'NX', 'EX', 900) then
          redis.call('XADD', KEYS[3], '*', 'work', ARGV[7], 'traceparent', ARGV[8])
          redis.call('PUBLISH', ARGV[9], KEYS[3])
        end
        if n > 0 then redis.call('PUBLISH', ARGV[9], KEYS[2]) end
        return result
        """;

    // KEYS: 1 agents:work, then one analysis-pending marker per incident
    // ARGV: 1 notify channel, then one work item JSON per incident (queued only when no analysis of it is pending)
    public const string RequestAnalysis = """
        local queued = 0
        for i = 2, #KEYS do
          if redis.call('SET', KEYS[i], '1', 'NX', 'EX', 900) then
            redis.call('XADD', KEYS[1], '*', 'work', ARGV[i], 'traceparent', '')
            queued = queued + 1
          end
        end
        if queued > 0 then redis.call('PUBLISH', ARGV[1], KEYS[1]) end
        return queued
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

    // KEYS: 1 actions hash, 2 ops:events, 3 timeline, 4 agents:work, 5 awaiting-approval index
    // ARGV: 1 expected version, 2 traceparent, 3 notify channel, 4 max stream length, 5 incident id,
    //       then field count and (action id, JSON, awaiting approval 1/0) triples, then event count and bodies,
    //       then work count and items
    public const string ChangeActions = """
        local current = redis.call('HGET', KEYS[1], '_version') or '0'
        if current ~= ARGV[1] then return 'conflict' end
        redis.call('HSET', KEYS[1], '_version', tostring(tonumber(current) + 1))
        local i = 6
        local n = tonumber(ARGV[i])
        for k = 1, n do
          local id = ARGV[i + k * 3 - 2]
          redis.call('HSET', KEYS[1], id, ARGV[i + k * 3 - 1])
          if ARGV[i + k * 3] == '1' then redis.call('SADD', KEYS[5], ARGV[5] .. '/' .. id) else redis.call('SREM', KEYS[5], ARGV[5] .. '/' .. id) end
        end
        i = i + n * 3 + 1
        n = tonumber(ARGV[i])
        for k = 1, n do
          local body = ARGV[i + k]
          local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*', 'event', body, 'traceparent', ARGV[2])
          redis.call('RPUSH', KEYS[3], '{"id":"' .. id .. '",' .. string.sub(body, 2))
        end
        i = i + n + 1
        n = tonumber(ARGV[i])
        for k = 1, n do redis.call('XADD', KEYS[4], '*', 'work', ARGV[i + k], 'traceparent', ARGV[2]) end
        if n > 0 then redis.call('PUBLISH', ARGV[3], KEYS[4]) end
        redis.call('PUBLISH', ARGV[3], KEYS[2])
        return 'ok'
        """;

    // KEYS: 1 the service's change set, 2 ops:events
    // ARGV: 1 change JSON, 2 its time (unix ms), 3 drop changes older than this (unix ms), 4 event body, 5 traceparent,
    //       6 notify channel, 7 max stream length
    // Returns the event id, or '' when this exact change was recorded before (a retried delivery).
    public const string RecordChange = """
        if redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) == 0 then return '' end
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[3])
        local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'event', ARGV[4], 'traceparent', ARGV[5])
        redis.call('PUBLISH', ARGV[6], KEYS[2])
        return id
        """;

    // KEYS: 1 the incident's attachments hash, 2 the attachment's content, 3 ops:events, 4 timeline, 5 agents:work
    // ARGV: 1 attachment id, 2 metadata JSON, 3 content bytes, 4 event body, 5 work item, 6 traceparent, 7 notify channel,
    //       8 max stream length
    // Refuses (and writes nothing) when the incident already has ARGV[9] attachments, or ARGV[10] bytes with this one's ARGV[11].
    public const string AddAttachment = """
        local count = redis.call('HLEN', KEYS[1])
        if count >= tonumber(ARGV[9]) then return {'count', count} end
        local total = 0
        for _, stored in ipairs(redis.call('HVALS', KEYS[1])) do total = total + (cjson.decode(stored).size or 0) end
        if total + tonumber(ARGV[11]) > tonumber(ARGV[10]) then return {'bytes', total} end
        redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
        redis.call('SET', KEYS[2], ARGV[3])
        local id = redis.call('XADD', KEYS[3], 'MAXLEN', '~', ARGV[8], '*', 'event', ARGV[4], 'traceparent', ARGV[6])
        redis.call('RPUSH', KEYS[4], '{"id":"' .. id .. '",' .. string.sub(ARGV[4], 2))
        redis.call('XADD', KEYS[5], '*', 'work', ARGV[5], 'traceparent', ARGV[6])
        redis.call('PUBLISH', ARGV[7], KEYS[5])
        redis.call('PUBLISH', ARGV[7], KEYS[3])
        return {'added', id}
        """;

    // KEYS: 1 the incident's fix credits hash, 2.. the fix outcomes hash of each category, in the order of ARGV 5..
    // ARGV: 1 the mark to add (a tried by an action, A worked by an action, c confirmed by a responder), 2 category,
    //       3 remediation ('' = add nothing), 4 withdraw every earlier confirmation of this incident first (1/0),
    //       5.. the category names of KEYS 2..
    // The incident counts once per fix in its category's tried/worked counts, whatever marks it gathers (an action that
    // worked and the responder confirming the same fix is one success, not two; a re-confirmation moves the credit).
    public const string CreditFix = """
        local credits = KEYS[1]
        local function outcomesOf(category)
          for i = 5, #ARGV do if ARGV[i] == category then return KEYS[i - 3] end end
          return redis.error_reply('unknown category ' .. category)
        end
        local function counts(marks)
          if marks == '' then return 0, 0 end
          if string.find(marks, 'A', 1, true) or string.find(marks, 'c', 1, true) then return 1, 1 end
          return 1, 0
        end
        local function mark(field, marks)
          local old = redis.call('HGET', credits, field) or ''
          if old == marks then return end
          local sep = string.find(field, ':', 1, true)
          local outcomes = outcomesOf(string.sub(field, 1, sep - 1))
          local remediation = string.sub(field, sep + 1)
          local t0, w0 = counts(old)
          local t1, w1 = counts(marks)
          if marks == '' then redis.call('HDEL', credits, field) else redis.call('HSET', credits, field, marks) end
          if t1 ~= t0 then redis.call('HINCRBY', outcomes, remediation .. ':tried', t1 - t0) end
          if w1 ~= w0 then redis.call('HINCRBY', outcomes, remediation .. ':worked', w1 - w0) end
        end
        if ARGV[4] == '1' then
          local all = redis.call('HGETALL', credits)
          for i = 1, #all, 2 do
            if string.find(all[i + 1], 'c', 1, true) then mark(all[i], (string.gsub(all[i + 1], 'c', ''))) end
          end
        end
        if ARGV[3] ~= '' then
          local field = ARGV[2] .. ':' .. ARGV[3]
          local old = redis.call('HGET', credits, field) or ''
          if not string.find(old, ARGV[1], 1, true) then mark(field, old .. ARGV[1]) end
        end
        return 1
        """;
}
