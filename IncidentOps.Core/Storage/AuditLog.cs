using IncidentOps.Core.Access;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// The audit trail: a Redis stream of <see cref="AuditEntry"/>, newest last. Trimmed by age (MINID), never by count,
/// so a burst of entries cannot push out recent ones before their retention ends. Exact trimming: the audit
/// trail is written at the rate people act, not at the rate alerts arrive.
/// </summary>
public sealed class AuditLog(IConnectionMultiplexer redis, TimeProvider time, Microsoft.Extensions.Options.IOptions<AuditOptions> options)
{
    public async Task<string> AppendAsync(AuditEntry entry)
    {
        var now = time.GetUtcNow();
        var oldest = (now - TimeSpan.FromDays(options.Value.RetentionDays)).ToUnixTimeMilliseconds();
        var body = OpsJson.Serialize(entry with { Id = string.Empty, At = now });
        var db = redis.GetDatabase();
        try
        {
            // The entry's id is its time (our clock), so the age trim (exact MINID) and the entry agree on what "old" is.
            return (await db.ExecuteAsync("XADD", RedisKeys.Audit, "MINID", "=", oldest, $"{now.ToUnixTimeMilliseconds()}-*", "entry", body)).ToString();
        }
        catch (RedisServerException)
        {
            // A clock that stepped back behind the newest entry: let Redis number it after that one.
            return (await db.ExecuteAsync("XADD", RedisKeys.Audit, "MINID", "=", oldest, "*", "entry", body)).ToString();
        }
    }

    /// <summary>
    /// Whether this read by an API key is the first of the hour for its key, endpoint and outcome. A polling automation
    /// (a status page reading every few seconds) would otherwise add an entry per poll for the whole retention; its
    /// last use is on the key itself (<c>lastUsedAt</c>).
    /// </summary>
    public async Task<bool> FirstKeyReadThisHourAsync(string keyId, string action, string outcome) =>
        await redis.GetDatabase().StringSetAsync(RedisKeys.AuditKeyRead(keyId, action, outcome), "1", KeyReadWindow, When.NotExists);

    /// <summary>How long one audited read by an API key stands for the key's further reads of the same endpoint.</summary>
    public static readonly TimeSpan KeyReadWindow = TimeSpan.FromHours(1);

    /// <summary>Newest first, before <see cref="AuditQuery.Before"/>; scans at most a few pages to fill a filtered page.</summary>
    public async Task<(IReadOnlyList<AuditEntry> Items, string? Next)> QueryAsync(AuditQuery query)
    {
        var db = redis.GetDatabase();
        var found = new List<AuditEntry>();
        var end = query.Before is null ? "+" : "(" + query.Before;
        string? next = null;
        for (var pages = 0; pages < 20 && found.Count < query.Limit; pages++)
        {
            var page = await db.StreamRangeAsync(RedisKeys.Audit, "-", end, count: 500, messageOrder: Order.Descending);
            if (page.Length == 0)
            {
                next = null;
                break;
            }

            foreach (var raw in page)
            {
                var entry = OpsJson.Deserialize<AuditEntry>(raw["entry"].ToString()) with { Id = raw.Id.ToString() };
                next = entry.Id;
                if (Matches(entry, query) && found.Count < query.Limit)
                {
                    found.Add(entry);
                    if (found.Count == query.Limit)
                    {
                        break;
                    }
                }
            }

            end = "(" + next;
            if (page.Length < 500 && found.Count < query.Limit)
            {
                next = null;
                break;
            }
        }

        return (found, found.Count == query.Limit ? found[^1].Id : next);
    }

    private static bool Matches(AuditEntry entry, AuditQuery query) =>
        (query.Subject is null || string.Equals(entry.Actor.Subject, query.Subject, StringComparison.OrdinalIgnoreCase) || string.Equals(entry.Actor.ApiKeyId, query.Subject, StringComparison.Ordinal))
        && (query.Action is null || entry.Action.StartsWith(query.Action, StringComparison.OrdinalIgnoreCase))
        && (query.Outcome is null || string.Equals(entry.Outcome, query.Outcome, StringComparison.OrdinalIgnoreCase));
}

public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>How long audit entries are kept. Older ones are trimmed as new ones are written.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 3650)]
    public int RetentionDays { get; set; } = 400;
}
