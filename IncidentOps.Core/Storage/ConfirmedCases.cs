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
        if (confirmed.Remediation is { } fix)
        {
            _ = transaction.HashIncrementAsync(RedisKeys.FixOutcomes(confirmed.Category), $"{fix}:tried");
            _ = transaction.HashIncrementAsync(RedisKeys.FixOutcomes(confirmed.Category), $"{fix}:worked");
        }

        await transaction.ExecuteAsync();
    }

    /// <summary>How many there are (the case base re-reads them only when this changes).</summary>
    public Task<long> CountAsync() => redis.GetDatabase().HashLengthAsync(RedisKeys.ConfirmedCases);

    public async Task<IReadOnlyList<ConfirmedCase>> AllAsync() =>
        [.. (await redis.GetDatabase().HashGetAllAsync(RedisKeys.ConfirmedCases)).Select(e => OpsJson.Deserialize<ConfirmedCase>(e.Value.ToString()))];
}
