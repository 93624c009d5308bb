using System.Security.Cryptography;
using System.Text;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>An ingest token issued by rotation: its digest (never the token), when it was made and until when it works.</summary>
public sealed record IssuedIngestToken(string Digest, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, string CreatedBy)
{
    public bool IsValidAt(DateTimeOffset now) => ExpiresAt is null || ExpiresAt > now;
}

/// <summary>
/// Ingest tokens issued by an admin's rotation, per source, beside the configured ones. A rotation issues a new token
/// and gives the source's earlier rotated tokens a grace period, so senders can be moved over without dropped alerts.
/// </summary>
public sealed class IngestTokenStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public async Task<(string Token, IssuedIngestToken Issued)> RotateAsync(string source, TimeSpan grace, string createdBy)
    {
        var now = time.GetUtcNow();
        var token = $"iot_{source}_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var issued = new IssuedIngestToken(Digest(token), now, null, createdBy);
        var db = redis.GetDatabase();
        var transaction = db.CreateTransaction();
        foreach (var earlier in await ListAsync(source))
        {
            if (earlier.ExpiresAt is null || earlier.ExpiresAt > now + grace)
            {
                _ = transaction.HashSetAsync(RedisKeys.IngestTokens(source), earlier.Digest, OpsJson.Serialize(earlier with { ExpiresAt = now + grace }));
            }
        }

        _ = transaction.HashSetAsync(RedisKeys.IngestTokens(source), issued.Digest, OpsJson.Serialize(issued));
        await transaction.ExecuteAsync();
        return (token, issued);
    }

    public async Task<IReadOnlyList<IssuedIngestToken>> ListAsync(string source) =>
        [.. (await redis.GetDatabase().HashGetAllAsync(RedisKeys.IngestTokens(source)))
            .Select(e => OpsJson.Deserialize<IssuedIngestToken>(e.Value.ToString()))
            .OrderByDescending(t => t.CreatedAt)];

    public static string Digest(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
