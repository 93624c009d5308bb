using System.Security.Cryptography;
using System.Text;
using IncidentOps.Core.Access;
using IncidentOps.Core.Events;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// API keys for automation. A key's secret is <c>iok_</c> + 32 random bytes (base64url); Redis holds only the SHA-256
/// digest, mapped to the key's id, so a leaked database does not leak usable keys.
/// </summary>
public sealed class ApiKeyStore(IConnectionMultiplexer redis, TimeProvider time)
{
    public const string SecretPrefix = "iok_";

    public async Task<CreatedApiKey> CreateAsync(string name, string role, string createdBy)
    {
        var secret = SecretPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = new ApiKey($"key_{Guid.NewGuid():N}"[..16], name, role, secret[..10], createdBy, time.GetUtcNow());
        var db = redis.GetDatabase();
        var transaction = db.CreateTransaction();
        _ = transaction.HashSetAsync(RedisKeys.ApiKeys, key.Id, OpsJson.Serialize(key));
        _ = transaction.HashSetAsync(RedisKeys.ApiKeyDigests, Digest(secret), key.Id);
        await transaction.ExecuteAsync();
        return new CreatedApiKey(key, secret);
    }

    /// <summary>The active key whose secret this is, or null; records when it was last used.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string? secret)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var db = redis.GetDatabase();
        var id = await db.HashGetAsync(RedisKeys.ApiKeyDigests, Digest(secret));
        var json = id.IsNullOrEmpty ? RedisValue.Null : await db.HashGetAsync(RedisKeys.ApiKeys, id.ToString());
        if (json.IsNullOrEmpty || OpsJson.Deserialize<ApiKey>(json.ToString()) is not { IsActive: true } key)
        {
            return null;
        }

        await db.HashSetAsync(RedisKeys.ApiKeysLastUsed, key.Id, time.GetUtcNow().ToUnixTimeMilliseconds());
        return key;
    }

    public async Task<ApiKey?> GetAsync(string id)
    {
        var db = redis.GetDatabase();
        var json = await db.HashGetAsync(RedisKeys.ApiKeys, id);
        return json.IsNullOrEmpty ? null : WithLastUsed(OpsJson.Deserialize<ApiKey>(json.ToString()), await db.HashGetAsync(RedisKeys.ApiKeysLastUsed, id));
    }

    /// <summary>Every key, newest first, with when each was last used.</summary>
    public async Task<IReadOnlyList<ApiKey>> ListAsync()
    {
        var db = redis.GetDatabase();
        var keys = await db.HashGetAllAsync(RedisKeys.ApiKeys);
        var used = (await db.HashGetAllAsync(RedisKeys.ApiKeysLastUsed)).ToDictionary(e => e.Name.ToString(), e => e.Value);
        return [.. keys.Select(e => WithLastUsed(OpsJson.Deserialize<ApiKey>(e.Value.ToString()), used.GetValueOrDefault(e.Name.ToString())))
            .OrderByDescending(k => k.CreatedAt)];
    }

    /// <summary>Revokes the key: it stops working at once. Null when there is no such key.</summary>
    public async Task<ApiKey?> RevokeAsync(string id, string revokedBy)
    {
        if (await GetAsync(id) is not { } key)
        {
            return null;
        }

        if (!key.IsActive)
        {
            return key;
        }

        var revoked = key with { RevokedAt = time.GetUtcNow(), RevokedBy = revokedBy };
        // Last use lives in its own hash (written on every use); the stored document never holds it.
        await redis.GetDatabase().HashSetAsync(RedisKeys.ApiKeys, id, OpsJson.Serialize(revoked with { LastUsedAt = null }));
        return revoked;
    }

    private static ApiKey WithLastUsed(ApiKey key, RedisValue lastUsed) =>
        lastUsed.TryParse(out long ms) ? key with { LastUsedAt = DateTimeOffset.FromUnixTimeMilliseconds(ms) } : key;

    private static string Digest(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
