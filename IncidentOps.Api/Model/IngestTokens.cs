using System.Security.Cryptography;
using System.Text;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Model;

/// <summary>
/// Per-source ingest tokens (<c>Ingest:Tokens:Events|Alertmanager|Grafana|CloudWatch</c>). A value may
/// hold several tokens separated by commas (for rotation), each either plain or <c>sha256:&lt;hex&gt;</c>.
/// Only SHA-256 hashes are kept in memory, and comparison is constant-time.
/// </summary>
public sealed class IngestTokenOptions
{
    public const string Section = "Ingest:Tokens";

    /// <summary>The token the AppHost sets for every source in Development (the README's examples use it).</summary>
    public const string DevelopmentToken = "dev-ingest-token";

    public string? Events { get; set; }

    public string? Alertmanager { get; set; }

    public string? Grafana { get; set; }

    public string? CloudWatch { get; set; }
}

public static class IngestSources
{
    public const string Events = "events";
    public const string Alertmanager = "alertmanager";
    public const string Grafana = "grafana";
    public const string CloudWatch = "cloudwatch";
}

/// <summary>Refuses to start outside Development when a source has no token.</summary>
public sealed class IngestTokenValidation(IHostEnvironment environment) : IValidateOptions<IngestTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, IngestTokenOptions options)
    {
        var malformed = new[] { options.Events, options.Alertmanager, options.Grafana, options.CloudWatch }
            .SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Any(t => t.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) && (t.Length != 71 || !t[7..].All(char.IsAsciiHexDigit)));
        if (malformed)
        {
            return ValidateOptionsResult.Fail("An Ingest:Tokens value starting with sha256: must be followed by 64 hex digits.");
        }

        if (environment.IsDevelopment())
        {
            return ValidateOptionsResult.Success;
        }

        var missing = new[] { ("Events", options.Events), ("Alertmanager", options.Alertmanager), ("Grafana", options.Grafana), ("CloudWatch", options.CloudWatch) }
            .Where(t => string.IsNullOrWhiteSpace(t.Item2)).Select(t => $"Ingest:Tokens:{t.Item1}").ToList();
        return missing.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"No ingest token configured for {string.Join(", ", missing)}: every source needs one outside Development.");
    }
}

/// <summary>
/// Checks ingest tokens: the configured ones (in memory), then those issued by rotation (from Redis, cached for a few
/// seconds so a storm of alerts does not add a Redis read per alert).
/// </summary>
public sealed class IngestTokens
{
    private static readonly TimeSpan IssuedCacheTime = TimeSpan.FromSeconds(5);
    private readonly Dictionary<string, byte[][]> _hashes;
    private readonly IngestTokenStore _issued;
    private readonly TimeProvider _time;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset ReadAt, IReadOnlyList<IssuedIngestToken> Tokens)> _issuedCache = new();

    public IngestTokens(IOptions<IngestTokenOptions> options, IHostEnvironment environment, IngestTokenStore issued, TimeProvider time)
    {
        _issued = issued;
        _time = time;
        var o = options.Value;
        string? Default(string? value) => string.IsNullOrWhiteSpace(value) && environment.IsDevelopment() ? IngestTokenOptions.DevelopmentToken : value;
        _hashes = new()
        {
            [IngestSources.Events] = Parse(Default(o.Events)),
            [IngestSources.Alertmanager] = Parse(Default(o.Alertmanager)),
            [IngestSources.Grafana] = Parse(Default(o.Grafana)),
            [IngestSources.CloudWatch] = Parse(Default(o.CloudWatch)),
        };
    }

    public bool IsValid(string source, string? presented)
    {
        if (string.IsNullOrEmpty(presented) || !_hashes.TryGetValue(source, out var hashes))
        {
            return false;
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var expected in hashes)
        {
            // No early exit: the time taken does not tell which token (or how much of one) matched.
            match |= CryptographicOperations.FixedTimeEquals(hash, expected);
        }

        return match;
    }

    /// <summary>
    /// Whether the request carries a valid token for <paramref name="source"/>: in <c>Authorization: Bearer …</c>,
    /// in the <c>{token}</c> route value, or in <paramref name="bodyToken"/> (Events v2 <c>routing_key</c>).
    /// </summary>
    public async ValueTask<bool> IsAuthorisedAsync(string source, HttpRequest request, string? bodyToken = null)
    {
        var header = request.Headers.Authorization.ToString();
        var bearer = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
        var path = request.RouteValues.TryGetValue("token", out var token) ? token?.ToString() : null;
        if (IsValid(source, bearer) | IsValid(source, path) | IsValid(source, bodyToken))
        {
            return true;
        }

        var presented = new[] { bearer, path, bodyToken }.Where(t => !string.IsNullOrEmpty(t)).ToList();
        if (presented.Count == 0)
        {
            return false;
        }

        var now = _time.GetUtcNow();
        if (!_issuedCache.TryGetValue(source, out var cached) || now - cached.ReadAt > IssuedCacheTime)
        {
            cached = (now, await _issued.ListAsync(source));
            _issuedCache[source] = cached;
        }

        var digests = presented.Select(p => IngestTokenStore.Digest(p!)).ToList();
        return cached.Tokens.Any(t => t.IsValidAt(now) && digests.Contains(t.Digest, StringComparer.Ordinal));
    }

    /// <summary>Forgets the cached rotated tokens, so a rotation on this replica takes effect at once.</summary>
    public void Forget(string source) => _issuedCache.TryRemove(source, out _);

    private static byte[][] Parse(string? configured) =>
        [.. (configured ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase)
                ? Convert.FromHexString(t["sha256:".Length..])
                : SHA256.HashData(Encoding.UTF8.GetBytes(t)))];
}
