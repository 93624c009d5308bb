using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// One analysis of an incident at a time, across every worker: two work items for the same incident
/// (an alert joined while it was being analysed) run one after the other, and the second finds the
/// phases whose inputs did not change already done. The lease expires by itself when its holder dies.
/// </summary>
public sealed class IncidentLease(IConnectionMultiplexer redis)
{
    private static readonly TimeSpan RetryEvery = TimeSpan.FromMilliseconds(100);

    private const string AcquireScript = """
        if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
        if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
        return 0
        """;
    private const string ReleaseScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0";
    private const string RenewScript = "if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0";

    /// <summary>
    /// Waits until this holder has the lease (polling: a held lease frees on release or expiry). A lease this holder
    /// already has counts as acquired: a SET that timed out on the client may still have run on the server (Redis paused,
    /// not down), and a retry of the same work item must not wait out its own lease.
    /// </summary>
    public async Task AcquireAsync(string incidentId, string holder, TimeSpan ttl, TimeProvider time, CancellationToken cancellationToken)
    {
        var db = redis.GetDatabase();
        while ((long)await db.ScriptEvaluateAsync(AcquireScript, [RedisKeys.IncidentLease(incidentId)], [holder, (long)ttl.TotalMilliseconds]) != 1)
        {
            await Task.Delay(RetryEvery, time, cancellationToken);
        }
    }

    /// <summary>Extends the lease; false when this holder no longer has it (it expired and another took it).</summary>
    public async Task<bool> RenewAsync(string incidentId, string holder, TimeSpan ttl) =>
        (long)await redis.GetDatabase().ScriptEvaluateAsync(RenewScript, [RedisKeys.IncidentLease(incidentId)], [holder, (long)ttl.TotalMilliseconds]) == 1;

    public async Task ReleaseAsync(string incidentId, string holder) =>
        await redis.GetDatabase().ScriptEvaluateAsync(ReleaseScript, [RedisKeys.IncidentLease(incidentId)], [holder]);
}
