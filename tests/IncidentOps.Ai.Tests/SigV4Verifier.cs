using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace IncidentOps.Ai.Tests;

/// <summary>
/// An independent SigV4 verifier (written from the AWS specification, not the SDK): recomputes the
/// signature of a received request with the shared test secret and compares it with the one sent.
/// </summary>
public static partial class SigV4Verifier
{
    public static string? Verify(HttpRequest request, byte[] body, string accessKey, string secret, string region)
    {
        var auth = request.Headers.Authorization.ToString();
        var match = AuthHeader().Match(auth);
        if (!match.Success)
        {
            return $"no SigV4 Authorization header ('{auth}')";
        }

        var (key, date, authRegion, service, signedHeaders, signature) =
            (match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value, match.Groups[4].Value, match.Groups[5].Value, match.Groups[6].Value);
        if (key != accessKey || authRegion != region)
        {
            return $"credential scope {key}/{authRegion} is not {accessKey}/{region}";
        }

        var amzDate = request.Headers["x-amz-date"].ToString();
        var headers = signedHeaders.Split(';');
        if (!headers.Contains("host") || !headers.Contains("x-amz-date"))
        {
            return $"signed headers '{signedHeaders}' miss host or x-amz-date";
        }

        var canonicalHeaders = string.Concat(headers.Select(h => $"{h}:{Collapse().Replace((h == "host" ? request.Host.Value : string.Join(',', request.Headers[h].Select(v => v!.Trim())))!, " ")}\n"));
        var payloadHash = request.Headers["x-amz-content-sha256"].ToString() is { Length: > 0 } sent ? sent : Hex(SHA256.HashData(body));
        if (payloadHash != Hex(SHA256.HashData(body)))
        {
            return "x-amz-content-sha256 does not match the body";
        }

        var query = string.Join('&', Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(request.QueryString.Value)
            .SelectMany(kv => kv.Value.DefaultIfEmpty(string.Empty).Select(v => $"{Uri.EscapeDataString(kv.Key)}={Uri.EscapeDataString(v ?? string.Empty)}"))
            .Order(StringComparer.Ordinal));
        // Non-S3 services sign the path URI-encoded twice: the path as sent is encoded once already.
        var rawPath = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget.Split('?')[0];
        var doubleEncoded = string.Join('/', rawPath.Split('/').Select(Uri.EscapeDataString));
        var canonical = $"{request.Method}\n{doubleEncoded}\n{query}\n{canonicalHeaders}\n{signedHeaders}\n{payloadHash}";
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var signingKey = new[] { date, region, service, "aws4_request" }.Aggregate(Encoding.UTF8.GetBytes("AWS4" + secret), (k, part) => HMACSHA256.HashData(k, Encoding.UTF8.GetBytes(part)));
        var expected = Hex(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(stringToSign)));
        return expected == signature ? null : $"signature mismatch for canonical request:\n{canonical}";
    }

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=([^/]+)/(\d{8})/([^/]+)/([^/]+)/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$")]
    private static partial Regex AuthHeader();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Collapse();
}
