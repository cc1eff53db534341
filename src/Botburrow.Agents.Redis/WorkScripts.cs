namespace Botburrow.Agents.Redis;

/// <summary>
/// The Lua scripts of the work system: every multi-step change is one script, so no read-then-write races.
/// ARGV[1] is the key prefix and ARGV[2] the time in epoch ms (0 = the server's <c>TIME</c>, so runners with
/// skewed clocks agree on leases). Keys are built from the prefix inside the scripts: a standalone Redis or
/// Valkey (with replicas) is supported, a cluster is not. The scripts stay in one file (over 400 lines) on purpose:
/// they share the prelude and the record layout, and a reviewer reads the whole work protocol in one place.
/// </summary>
internal static class WorkScripts
{
    private const string Prelude = """
        local P = ARGV[1]
        local function k(name) return P .. name end
        local function fmt(n) return string.format('%.0f', n) end
        local now = tonumber(ARGV[2])
        if (not now) or now <= 0 then
          local t = redis.call('TIME')
          now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local RANK = { high = 0, normal = 1, low = 2 }
        local function rank(p) return RANK[p] or 1 end
        local function qkey(p)
          if RANK[p] == nil then p = 'normal' end
          return k('work:queue:' .. p)
        end

        local function merge_followup(agent, priority, json)
          local existing = redis.call('HGET', k('work:followups'), agent)
          if existing then
            local old = cjson.decode(existing)
            if rank(priority) >= rank(old.priority) then return end
          end
          redis.call('HSET', k('work:followups'), agent, json)
        end

        -- Folds a pending follow-up into an item that goes back to its queue (one item per agent).
        local function fold_followup(agent, item)
          local f = redis.call('HGET', k('work:followups'), agent)
          if f then
            redis.call('HDEL', k('work:followups'), agent)
            local fu = cjson.decode(f)
            if rank(fu.priority) < rank(item.priority) then
              item.priority = fu.priority
              item.task_type = fu.task_type
            end
          end
          return item
        end

        -- Enqueue with dedup: at most one item per agent, queued or running.
        local function push(agent, priority, json, ignore_backoff)
          local until_s = redis.call('HGET', k('work:backoff'), agent)
          if until_s then
            if tonumber(until_s) * 1000 > now then
              if not ignore_backoff then return 'backoff' end
            else
              redis.call('HDEL', k('work:backoff'), agent)
            end
          end
          local active = redis.call('HGET', k('work:active'), agent)
          if active then
            -- An INBOX run claimed after the item's newest notification answers it already: record nothing.
            local item = cjson.decode(json)
            if item.task_type == 'inbox' and type(item.newest_notification_ms) == 'number' then
              local running = redis.call('HMGET', k('activation:' .. active), 'task', 'claimed_at')
              if running[1] == 'inbox' and running[2] and tonumber(running[2]) >= item.newest_notification_ms then
                return 'answered'
              end
            end
            merge_followup(agent, priority, json)
            return 'followup'
          end
          local queued = redis.call('HGET', k('work:queued'), agent)
          if queued then
            local old = cjson.decode(queued)
            local oldq = qkey(old.priority)
            if redis.call('LPOS', oldq, queued) then
              if rank(priority) < rank(old.priority) then
                redis.call('LREM', oldq, 1, queued)
                redis.call('LPUSH', qkey(priority), json)
                redis.call('HSET', k('work:queued'), agent, json)
                redis.call('PUBLISH', k('work:wakeup'), priority)
              end
              return 'queued'
            end
          end
          redis.call('LPUSH', qkey(priority), json)
          redis.call('HSET', k('work:queued'), agent, json)
          redis.call('PUBLISH', k('work:wakeup'), priority)
          return 'enqueued'
        end

        -- Back to the front of its queue (the right end, claimed next).
        local function push_front(agent, priority, json)
          redis.call('RPUSH', qkey(priority), json)
          redis.call('HSET', k('work:queued'), agent, json)
          redis.call('PUBLISH', k('work:wakeup'), priority)
        end

        local function push_followup(agent)
          local f = redis.call('HGET', k('work:followups'), agent)
          if not f then return false end
          redis.call('HDEL', k('work:followups'), agent)
          return push(agent, cjson.decode(f).priority, f, false) == 'enqueued'
        end

        -- The leader's instance id, or nil. The key's PX TTL ends it on the server clock; expires_at (written with
        -- the same clock the scripts use) ends it too, so both time sources agree.
        local function leader_alive()
          local cur = redis.call('GET', k('coordinator:leader'))
          if not cur then return nil end
          local info = redis.call('HMGET', k('coordinator:leader:info'), 'instance', 'expires_at')
          if info[1] == cur and info[2] and tonumber(info[2]) <= now then return nil end
          return cur
        end

        -- One failure for the breaker; returns {failures, backoff_ms} when the agent now backs off.
        local function record_failure(agent, max_failures, base_ms, max_ms)
          local f = redis.call('HINCRBY', k('work:failures'), agent, 1)
          if f < max_failures then return nil end
          local exp = math.min(f - max_failures, 30)
          local backoff = math.min(base_ms * math.pow(2, exp), max_ms)
          redis.call('HSET', k('work:backoff'), agent, fmt(math.ceil((now + backoff) / 1000)))
          return { f, backoff }
        end

        """;

    /// <summary>ARGV: prefix, now, json, agent, priority, epoch. Returns the outcome word.</summary>
    public const string Enqueue = Prelude + """
        local cur = redis.call('GET', k('coordinator:epoch'))
        if (not cur) or tonumber(cur) ~= tonumber(ARGV[6]) or not leader_alive() then
          return 'stale'
        end
        return push(ARGV[4], ARGV[5], ARGV[3], false)
        """;

    /// <summary>ARGV: prefix, now, runner, mode, activation id, lease ms, record grace ms, hybrid every. Returns {id, json, claimed, lease, fence} or nil.</summary>
    public const string Claim = Prelude + """
        local runner, mode, id = ARGV[3], ARGV[4], ARGV[5]
        local lease_ms, grace_ms, every = tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
        local order
        if mode == 'notification' then
          order = { 'high', 'normal' }
        elseif mode == 'exploration' then
          order = { 'low' }
        else
          local c = tonumber(redis.call('GET', k('work:hybrid:claims')) or '0')
          if (c + 1) % every == 0 then order = { 'low', 'high', 'normal' } else order = { 'high', 'normal', 'low' } end
        end
        for _, pr in ipairs(order) do
          while true do
            local json = redis.call('RPOP', k('work:queue:' .. pr))
            if not json then break end
            local item = cjson.decode(json)
            local agent = item.agent_id
            redis.call('HDEL', k('work:queued'), agent)
            if redis.call('HEXISTS', k('work:active'), agent) == 1 then
              merge_followup(agent, pr, json)
            else
              local lease = now + lease_ms
              local rkey = k('activation:' .. id)
              local fence = redis.call('INCR', k('work:fence'))
              redis.call('HSET', rkey, 'agent', agent, 'runner', runner, 'task', tostring(item.task_type),
                'priority', pr, 'attempt', tostring(item.attempt or 1), 'epoch', fmt(tonumber(item.epoch) or 0),
                'claimed_at', fmt(now), 'lease_expires_at', fmt(lease), 'fence', tostring(fence), 'item', json)
              redis.call('PEXPIRE', rkey, lease_ms + grace_ms)
              redis.call('ZADD', k('work:leases'), lease, id)
              redis.call('HSET', k('work:active'), agent, id)
              if mode == 'hybrid' then redis.call('INCR', k('work:hybrid:claims')) end
              return { id, json, fmt(now), fmt(lease), tostring(fence) }
            end
          end
        end
        return false
        """;

    /// <summary>ARGV: prefix, now, id, runner, fence. Returns 'held', 'expired', 'taken', 'stopped' or 'gone'.</summary>
    public const string CheckLease = Prelude + """
        local id, runner, fence = ARGV[3], ARGV[4], ARGV[5]
        local h = redis.call('HMGET', k('activation:' .. id), 'runner', 'fence', 'lease_expires_at')
        if not h[1] then
          if redis.call('ZSCORE', k('work:leases'), id) then return 'stopped' end
          return 'gone'
        end
        if h[1] ~= runner or (h[2] or '0') ~= fence then return 'taken' end
        if tonumber(h[3] or '0') <= now then return 'expired' end
        return 'held'
        """;

    /// <summary>ARGV: prefix, now, runner, lease ms, grace ms, heartbeat ttl ms, mode, concurrency, in flight, started ms, client name, leases lost, ids…</summary>
    public const string Heartbeat = Prelude + """
        local runner, lease_ms, grace_ms = ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[5])
        local cancelled = {}
        for i = 13, #ARGV do
          local id = ARGV[i]
          local rkey = k('activation:' .. id)
          if redis.call('HGET', rkey, 'runner') == runner then
            local lease = now + lease_ms
            redis.call('HSET', rkey, 'lease_expires_at', fmt(lease))
            redis.call('PEXPIRE', rkey, lease_ms + grace_ms)
            redis.call('ZADD', k('work:leases'), lease, id)
          else
            table.insert(cancelled, id)
          end
        end
        local hb = k('runner:heartbeat:' .. runner)
        redis.call('HSET', hb, 'runner_id', runner, 'mode', ARGV[7], 'concurrency', ARGV[8], 'in_flight', ARGV[9],
          'started_at', ARGV[10], 'last_seen_at', fmt(now), 'leases_lost', ARGV[12])
        if ARGV[11] ~= '' then redis.call('HSET', hb, 'client_name', ARGV[11]) else redis.call('HDEL', hb, 'client_name') end
        redis.call('PEXPIRE', hb, tonumber(ARGV[6]))
        return cancelled
        """;

    /// <summary>
    /// ARGV: prefix, now, id, agent, runner, outcome, max failures, base ms, max ms, fence. Returns {owned, failures,
    /// backoff ms, pushed, stop backoff ms}. Fenced: only the holder (runner and fencing token) feeds the breaker.
    /// </summary>
    public const string Complete = Prelude + """
        local id, agent, runner, outcome = ARGV[3], ARGV[4], ARGV[5], ARGV[6]
        local rkey = k('activation:' .. id)
        local rec = redis.call('HMGET', rkey, 'runner', 'fence')
        local owned = rec[1] == runner and (rec[2] or '0') == ARGV[10]
        redis.call('ZREM', k('work:leases'), id)
        if owned then redis.call('DEL', rkey) end
        local indexed = redis.call('HGET', k('work:active'), agent) == id
        local result = { owned and 1 or 0, 0, 0, 0, 0 }
        if outcome == 'stopped_by_operator' and indexed and tonumber(ARGV[8]) > 0 then
          -- Before the follow-up is pushed: a stopped agent must not start again on the same mention.
          redis.call('HSET', k('work:backoff'), agent, fmt(math.ceil((now + tonumber(ARGV[8])) / 1000)))
          result[5] = tonumber(ARGV[8])
        end
        if indexed then redis.call('HDEL', k('work:active'), agent) end
        if owned then
          if outcome == 'succeeded' then
            redis.call('HDEL', k('work:failures'), agent)
            redis.call('HDEL', k('work:backoff'), agent)
          elseif outcome == 'failed' then
            local t = record_failure(agent, tonumber(ARGV[7]), tonumber(ARGV[8]), tonumber(ARGV[9]))
            if t then result[2] = t[1]; result[3] = t[2] end
          end
        end
        if push_followup(agent) then result[4] = 1 end
        redis.call('PUBLISH', k('work:completed'), agent)
        return result
        """;

    /// <summary>ARGV: prefix, now, id, agent, runner, fence. Returns 1 when handed back.</summary>
    public const string HandBack = Prelude + """
        local id, agent, runner = ARGV[3], ARGV[4], ARGV[5]
        local rkey = k('activation:' .. id)
        local rec = redis.call('HMGET', rkey, 'runner', 'fence')
        if rec[1] ~= runner or (rec[2] or '0') ~= ARGV[6] then return 0 end
        local json = redis.call('HGET', rkey, 'item')
        redis.call('DEL', rkey)
        redis.call('ZREM', k('work:leases'), id)
        if redis.call('HGET', k('work:active'), agent) == id then redis.call('HDEL', k('work:active'), agent) end
        if redis.call('HEXISTS', k('work:followups'), agent) == 1 then
          local item = fold_followup(agent, cjson.decode(json))
          json = cjson.encode(item)
        end
        push_front(agent, cjson.decode(json).priority, json)
        return 1
        """;

    /// <summary>
    /// ARGV: prefix, now, max attempts, max failures, base ms, max ms, batch, dead runner ids… (holders whose Redis
    /// connection is gone: their leases are reclaimed now, as if expired). Returns a flat list of
    /// {kind, id, agent, attempt, failures, backoff ms} groups.
    /// </summary>
    public const string Reap = Prelude + """
        local max_attempts, max_failures = tonumber(ARGV[3]), tonumber(ARGV[4])
        local base_ms, max_ms, batch = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
        local out = {}
        local ids = redis.call('ZRANGEBYSCORE', k('work:leases'), '-inf', now, 'LIMIT', 0, batch)
        if #ARGV >= 8 then
          local dead = {}
          for i = 8, #ARGV do dead[ARGV[i]] = true end
          local expired = {}
          for _, id in ipairs(ids) do expired[id] = true end
          for _, id in ipairs(redis.call('ZRANGEBYSCORE', k('work:leases'), '(' .. fmt(now), '+inf')) do
            if not expired[id] and dead[redis.call('HGET', k('activation:' .. id), 'runner') or ''] then table.insert(ids, id) end
          end
        end
        for _, id in ipairs(ids) do
          redis.call('ZREM', k('work:leases'), id)
          local rkey = k('activation:' .. id)
          local json = redis.call('HGET', rkey, 'item')
          redis.call('DEL', rkey)
          if json then
            local item = cjson.decode(json)
            local agent = item.agent_id
            if redis.call('HGET', k('work:active'), agent) == id then redis.call('HDEL', k('work:active'), agent) end
            local attempt = tonumber(item.attempt) or 1
            item.last_error = 'lease expired'
            if attempt < max_attempts then
              item.attempt = attempt + 1
              item = fold_followup(agent, item)
              push_front(agent, item.priority, cjson.encode(item))
              for _, v in ipairs({ 'requeued', id, agent, tostring(attempt + 1), '0', '0' }) do table.insert(out, v) end
            else
              redis.call('LPUSH', k('work:dead'), cjson.encode({ id = id, dead_at = now / 1000, item = item }))
              local t = record_failure(agent, max_failures, base_ms, max_ms)
              push_followup(agent)
              local f, b = '0', '0'
              if t then f = tostring(t[1]); b = fmt(t[2]) end
              for _, v in ipairs({ 'dead', id, agent, tostring(attempt), f, b }) do table.insert(out, v) end
            end
          end
        end
        local active = redis.call('HGETALL', k('work:active'))
        for i = 1, #active, 2 do
          local agent, id = active[i], active[i + 1]
          if not redis.call('ZSCORE', k('work:leases'), id) then
            redis.call('HDEL', k('work:active'), agent)
            redis.call('DEL', k('activation:' .. id))
            push_followup(agent)
            for _, v in ipairs({ 'orphan', id, agent, '0', '0', '0' }) do table.insert(out, v) end
          end
        end
        local backoff = redis.call('HGETALL', k('work:backoff'))
        for i = 1, #backoff, 2 do
          if tonumber(backoff[i + 1]) * 1000 <= now then redis.call('HDEL', k('work:backoff'), backoff[i]) end
        end
        return out
        """;

    /// <summary>ARGV: prefix, now, dead id. Returns 1 when found and requeued.</summary>
    public const string RequeueDead = Prelude + """
        local entries = redis.call('LRANGE', k('work:dead'), 0, -1)
        for _, e in ipairs(entries) do
          local d = cjson.decode(e)
          if d.id == ARGV[3] then
            redis.call('LREM', k('work:dead'), 1, e)
            local item = d.item
            item.attempt = 1
            item.newest_notification_ms = nil -- an operator's requeue always becomes work (or a follow-up)
            push(item.agent_id, item.priority, cjson.encode(item), true)
            return 1
          end
        end
        return 0
        """;

    /// <summary>ARGV: prefix, now. A consistent snapshot for stats.</summary>
    public const string Stats = Prelude + """
        local out = {}
        for _, p in ipairs({ 'high', 'normal', 'low' }) do
          table.insert(out, redis.call('LLEN', k('work:queue:' .. p)))
          table.insert(out, redis.call('LINDEX', k('work:queue:' .. p), -1) or '')
        end
        table.insert(out, redis.call('HLEN', k('work:active')))
        table.insert(out, redis.call('HLEN', k('work:followups')))
        table.insert(out, redis.call('HLEN', k('work:backoff')))
        table.insert(out, redis.call('LLEN', k('work:dead')))
        table.insert(out, fmt(now))
        local cursor = '0'
        repeat
          local r = redis.call('SCAN', cursor, 'MATCH', k('runner:heartbeat:*'), 'COUNT', 200)
          cursor = r[1]
          for _, key in ipairs(r[2]) do
            local h = redis.call('HMGET', key, 'runner_id', 'mode', 'concurrency', 'in_flight', 'started_at', 'last_seen_at', 'leases_lost')
            for j = 1, 7 do table.insert(out, h[j] or '') end
          end
        until cursor == '0'
        return out
        """;

    /// <summary>ARGV: prefix, now. Every activation with a lease: flat groups of id then the record's fields.</summary>
    public const string Activations = Prelude + """
        local out = {}
        for _, id in ipairs(redis.call('ZRANGE', k('work:leases'), 0, -1)) do
          local h = redis.call('HMGET', k('activation:' .. id), 'agent', 'runner', 'task', 'priority', 'attempt', 'epoch', 'claimed_at', 'lease_expires_at')
          if h[1] then
            table.insert(out, id)
            for j = 1, 8 do table.insert(out, h[j] or '') end
          end
        end
        return out
        """;

    /// <summary>
    /// ARGV: prefix, now, instance, ttl ms, client name, dead leader (an instance whose Redis connection is gone, or
    /// ''). Returns {'acquired'|'renewed', epoch, since ms} or nil.
    /// </summary>
    public const string AcquireLeader = Prelude + """
        local inst, ttl = ARGV[3], tonumber(ARGV[4])
        local cur = leader_alive()
        if cur and cur ~= inst and ARGV[6] ~= '' and cur == ARGV[6] then
          redis.call('DEL', k('coordinator:leader'))
          cur = nil
        end
        if cur == inst then
          redis.call('PEXPIRE', k('coordinator:leader'), ttl)
          redis.call('HSET', k('coordinator:leader:info'), 'expires_at', fmt(now + ttl))
          return { 'renewed', redis.call('GET', k('coordinator:epoch')) or '0', fmt(now) }
        end
        if cur then return false end
        -- Equivalent to SET NX PX: the script is atomic and no live leader holds the key.
        redis.call('SET', k('coordinator:leader'), inst, 'PX', ttl)
        local e = redis.call('INCR', k('coordinator:epoch'))
        redis.call('HSET', k('coordinator:leader:info'), 'instance', inst, 'epoch', e, 'since', fmt(now), 'expires_at', fmt(now + ttl), 'client_name', ARGV[5])
        return { 'acquired', tostring(e), fmt(now) }
        """;

    /// <summary>ARGV: prefix, now, instance, epoch. Compare-and-delete; returns 1 when released.</summary>
    public const string ReleaseLeader = Prelude + """
        if leader_alive() == ARGV[3] and redis.call('GET', k('coordinator:epoch')) == ARGV[4] then
          redis.call('DEL', k('coordinator:leader'))
          return 1
        end
        return 0
        """;
}
