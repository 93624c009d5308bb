namespace IncidentOps.Core.Access;

/// <summary>
/// A key for automation, scoped to one role. The secret is shown once, at creation; only its SHA-256 digest is stored.
/// <paramref name="Prefix"/> (the first characters of the secret) lets a person tell keys apart without the secret.
/// </summary>
public sealed record ApiKey(
    string Id,
    string Name,
    string Role,
    string Prefix,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastUsedAt = null,
    DateTimeOffset? RevokedAt = null,
    string? RevokedBy = null)
{
    public bool IsActive => RevokedAt is null;
}

/// <summary>A new key with its secret: the only time the secret exists outside the caller's hands.</summary>
public sealed record CreatedApiKey(ApiKey Key, string Secret);
