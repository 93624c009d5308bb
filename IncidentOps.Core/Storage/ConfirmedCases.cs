using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Causes confirmed by responders on resolve: the agents' case base reads them (so the next similar incident is
/// diagnosed from the team's own), and the fix that worked joins the fix history of its category in the same
/// transaction.
/// </summary>
public sealed class ConfirmedCases(IConnectionMultiplexer redis)
{
    public async Task RecordAsync(ConfirmedCase confirmed)
    {
        var transaction = redis.GetDatabase().CreateTransaction();
        _ = transaction.HashSetAsync(RedisKeys.ConfirmedCases, confirmed.IncidentId, OpsJson.Serialize(confirmed));
        _ = transaction.StringIncrementAsync(RedisKeys.ConfirmedCasesVersion);
        if (confirmed.Remediation is { } fix)
        {
            _ = transaction.HashIncrementAsync(RedisKeys.FixOutcomes(confirmed.Category), $"{fix}:tried");
            _ = transaction.HashIncrementAsync(RedisKeys.FixOutcomes(confirmed.Category), $"{fix}:worked");
        }

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
