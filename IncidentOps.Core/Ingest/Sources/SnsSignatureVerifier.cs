using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentOps.Core.Ingest.Sources;

/// <summary>Gets the certificate at an SNS SigningCertURL. The production source downloads and chain-validates it; tests inject their own.</summary>
public interface ISnsCertificateSource
{
    Task<X509Certificate2> GetAsync(Uri url, CancellationToken cancellationToken);
}

/// <summary>
/// Verifies SNS message signatures (SignatureVersion 1: SHA1withRSA, 2: SHA256withRSA) against the
/// signing certificate, which is fetched only from an <c>sns.&lt;region&gt;.amazonaws.com</c> HTTPS URL
/// and cached. Hand-written because the registry has no AWS SNS message-validator package for .NET.
/// </summary>
public sealed partial class SnsSignatureVerifier(ISnsCertificateSource certificates, TimeProvider time)
{
    /// <summary>
    /// Signing certificates kept. SNS signs with one certificate per region at a time, so a few suffice; the bound
    /// stops messages naming ever new certificate paths from growing the cache (an eviction only costs a re-fetch).
    /// </summary>
    public const int MaxCachedCertificates = 16;

    // Keyed by host and path: the query is not part of which certificate it is (and is not sent when fetching),
    // so "?1", "?2", … cannot make one certificate many entries and many downloads.
    private readonly ConcurrentDictionary<string, Task<X509Certificate2>> _cache = new(StringComparer.Ordinal);

    public int CachedCertificates => _cache.Count;

    /// <summary>Messages older than this are replays (SNS delivers within minutes and retries for at most an hour).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    /// <summary>Null when the message is authentic and fresh; otherwise why it is not.</summary>
    public async Task<string?> VerifyAsync(SnsMessage message, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(message.Signature))
        {
            return "the message is not signed (Signature is missing).";
        }

        var algorithm = message.SignatureVersion switch
        {
            "1" => HashAlgorithmName.SHA1,
            "2" => HashAlgorithmName.SHA256,
            _ => (HashAlgorithmName?)null,
        };
        if (algorithm is null)
        {
            return $"SignatureVersion must be 1 or 2 (got '{message.SignatureVersion}').";
        }

        if (!IsAllowedSnsUrl(message.SigningCertUrl, out var certUrl) || !certUrl.AbsolutePath.EndsWith(".pem", StringComparison.Ordinal))
        {
            return "SigningCertURL must be an https .pem URL on sns.<region>.amazonaws.com.";
        }

        if (!DateTimeOffset.TryParse(message.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sent))
        {
            return "Timestamp is missing or not a date-time.";
        }

        if (time.GetUtcNow() - sent > MaxAge || sent - time.GetUtcNow() > TimeSpan.FromMinutes(5))
        {
            return $"the message was sent at {sent:O}, outside the accepted window: a replay is refused.";
        }

        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(message.Signature);
        }
        catch (FormatException)
        {
            return "Signature is not base64.";
        }

        var location = new UriBuilder(Uri.UriSchemeHttps, certUrl.Host) { Path = certUrl.AbsolutePath }.Uri;
        var key = location.AbsoluteUri;
        X509Certificate2 certificate;
        try
        {
            MakeRoomFor(key);
            certificate = await _cache.GetOrAdd(key, _ => certificates.GetAsync(location, CancellationToken.None));
        }
        catch (Exception ex) when (ex is HttpRequestException or CryptographicException or InvalidOperationException)
        {
            // Do not cache a failure: the next message tries again.
            _cache.TryRemove(key, out _);
            return $"the signing certificate could not be obtained: {ex.Message}";
        }

        using var rsa = certificate.GetRSAPublicKey();
        var valid = rsa is not null && rsa.VerifyData(Encoding.UTF8.GetBytes(message.StringToSign()), signature, algorithm.Value, RSASignaturePadding.Pkcs1);
        return valid ? null : "the signature does not match the message: forged or altered.";
    }

    private void MakeRoomFor(string key)
    {
        while (_cache.Count >= MaxCachedCertificates && !_cache.ContainsKey(key) && _cache.Keys.FirstOrDefault() is { } evicted)
        {
            _cache.TryRemove(evicted, out _);
        }
    }

    /// <summary>Whether <paramref name="url"/> is https on an SNS regional host (the only place certificates and confirmations come from).</summary>
    public static bool IsAllowedSnsUrl(string? url, out Uri parsed) =>
        Uri.TryCreate(url, UriKind.Absolute, out parsed!)
        && parsed.Scheme == Uri.UriSchemeHttps
        && parsed.IsDefaultPort
        && SnsHost().IsMatch(parsed.Host);

    [GeneratedRegex(@"^sns\.[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d\.amazonaws\.com(\.cn)?$")]
    private static partial Regex SnsHost();
}
