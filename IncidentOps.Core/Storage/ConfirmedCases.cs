using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Causes confirmed by responders on resolve: the agents' case base reads them (so the next similar incident is
/// diagnosed from the team's own), and the fix that worked joins the fix history of its category in the same
/// transaction. A re-confirmation (reopened, resolved again) replaces the case and moves the fix's credit: the
/// incident counts once, for what was confirmed last.
/// </summary>
public sealed class ConfirmedCases(IConnectionMultiplexer redis)
{
    public async Task RecordAsync(ConfirmedCase confirmed)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.HashSetAsync(RedisKeys.ConfirmedCases, confirmed.IncidentId, OpsJson.Serialize(confirmed));
        _ = transaction.StringIncrementAsync(RedisKeys.ConfirmedCasesVersion);
        _ = FixOutcomes.CreditAsync(transaction, confirmed.IncidentId,
            new FixCredit(confirmed.Category, confirmed.Remediation, FixCredit.Confirmed, WithdrawConfirmed: true));
        await transaction.ExecuteAsync();
    }

    /// <summary>
    /// How many confirmations were ever recorded, re-confirmations of an incident included (the case base re-reads them
    /// only when this changes; the count would miss a corrected cause).
    /// </summary>
    public async Task<long> VersionAsync() => (long)await redis.GetDatabase().StringGetAsync(RedisKeys.ConfirmedCasesVersion); // none yet: 0

    public async Task<IReadOnlyList<ConfirmedCase>> AllAsync() =>
        [.. (await redis.GetDatabase().HashGetAllAsync(RedisKeys.ConfirmedCases)).Select(e => OpsJson.Deserialize<ConfirmedCase>(e.Value.ToString()))];
}
