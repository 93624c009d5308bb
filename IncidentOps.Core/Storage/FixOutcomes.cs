using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>How often a remediation was tried for a diagnosis category and how often it worked.</summary>
public sealed record FixRecord(string Remediation, long Tried, long Worked)
{
    public double? SuccessRate => Tried == 0 ? null : Math.Round((double)Worked / Tried, 3);
}

/// <summary>
/// What fixed incidents of a kind, fed by the outcomes of executed actions: the diagnosis shows
/// "what fixed it last time, and how often that worked", and the plan orders remediations by it.
/// </summary>
public sealed class FixOutcomes(IConnectionMultiplexer redis)
{
    public async Task RecordAsync(string category, string remediation, bool worked)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var tried = batch.HashIncrementAsync(RedisKeys.FixOutcomes(category), $"{remediation}:tried");
        var success = worked ? batch.HashIncrementAsync(RedisKeys.FixOutcomes(category), $"{remediation}:worked") : Task.FromResult(0L);
        batch.Execute();
        await Task.WhenAll(tried, success);
    }

    /// <summary>Every remediation recorded for the category, most often successful first.</summary>
    public async Task<IReadOnlyList<FixRecord>> ForCategoryAsync(string category)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(RedisKeys.FixOutcomes(category));
        var counts = fields.ToDictionary(f => f.Name.ToString(), f => (long)f.Value);
        return [.. counts.Keys
            .Where(k => k.EndsWith(":tried", StringComparison.Ordinal))
            .Select(k => k[..^":tried".Length])
            .Select(r => new FixRecord(r, counts[$"{r}:tried"], counts.GetValueOrDefault($"{r}:worked")))
            .OrderByDescending(f => f.Worked).ThenByDescending(f => f.SuccessRate)];
    }
}
