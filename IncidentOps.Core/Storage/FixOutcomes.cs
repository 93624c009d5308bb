using IncidentOps.Core.Domain;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>How often a remediation was tried for a diagnosis category and how often it worked.</summary>
public sealed record FixRecord(string Remediation, long Tried, long Worked)
{
    public double? SuccessRate => Tried == 0 ? null : Math.Round((double)Worked / Tried, 3);
}

/// <summary>
/// What fixed incidents of a kind, fed by the outcomes of executed actions and by the fixes responders confirm on resolve:
/// the diagnosis shows "what fixed it last time, and how often that worked", and the plan orders remediations by it.
/// Each incident counts once per fix (its marks in <see cref="RedisKeys.FixCredits"/>), however often it is credited.
/// </summary>
public sealed class FixOutcomes(IConnectionMultiplexer redis)
{
    /// <summary>An executed action's outcome for the incident: tried, and worked when it succeeded.</summary>
    public Task RecordAsync(string incidentId, string category, string remediation, bool worked) =>
        CreditAsync(redis.GetDatabase(), incidentId, new FixCredit(category, remediation, worked ? FixCredit.ActionWorked : FixCredit.ActionTried, WithdrawConfirmed: false));

    /// <summary>Applies a credit to the incident's marks and its categories' counts in one script (also inside a transaction).</summary>
    internal static Task CreditAsync(IDatabaseAsync db, string incidentId, FixCredit credit) =>
        db.ScriptEvaluateAsync(RedisScripts.CreditFix,
            [RedisKeys.FixCredits(incidentId), .. CauseVocabulary.Categories.Select(c => (RedisKey)RedisKeys.FixOutcomes(c))],
            [credit.Mark.ToString(), credit.Category ?? string.Empty, credit.Remediation ?? string.Empty, credit.WithdrawConfirmed ? 1 : 0,
             .. CauseVocabulary.Categories.Select(c => (RedisValue)c)]);

    /// <summary>Every remediation recorded for the category, most often successful first.</summary>
    public async Task<IReadOnlyList<FixRecord>> ForCategoryAsync(string category)
    {
        var fields = await redis.GetDatabase().HashGetAllAsync(RedisKeys.FixOutcomes(category));
        var counts = fields.ToDictionary(f => f.Name.ToString(), f => (long)f.Value);
        return [.. counts.Keys
            .Where(k => k.EndsWith(":tried", StringComparison.Ordinal))
            .Select(k => k[..^":tried".Length])
            .Select(r => new FixRecord(r, counts[$"{r}:tried"], counts.GetValueOrDefault($"{r}:worked")))
            .Where(f => f.Tried > 0) // a fix whose only credit was a confirmation since withdrawn
            .OrderByDescending(f => f.Worked).ThenByDescending(f => f.SuccessRate)];
    }
}

/// <summary>The arguments of <see cref="RedisScripts.CreditFix"/>: one mark for a fix of the incident.</summary>
internal readonly record struct FixCredit(string? Category, string? Remediation, char Mark, bool WithdrawConfirmed)
{
    public const char ActionTried = 'a';
    public const char ActionWorked = 'A';
    public const char Confirmed = 'c';
}
