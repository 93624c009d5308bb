using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps secrets that travel in URLs out of traces: ingest tokens in a path (<c>/alerts/alertmanager/{token}</c>, the
/// SNS subscription URL) and query strings of outgoing calls (SNS confirmation tokens, signed URLs). Route values whose
/// name says secret (token, key, secret, signature) are replaced by their <c>{name}</c> in the span's path and name.
/// </summary>
public static class UrlRedaction
{
    public const string RedactedValue = "Redacted";

    private static readonly string[] SecretNames = ["token", "key", "secret", "signature", "password"];

    /// <summary>The request path with each secret route value replaced by <c>{name}</c>; unchanged when there is none.</summary>
    public static string RedactPath(HttpContext context)
    {
        var path = context.Request.Path.Value ?? string.Empty;
        foreach (var (name, value) in context.Request.RouteValues)
        {
            if (value?.ToString() is { Length: > 0 } secret && SecretNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)))
            {
                var segments = path.Split('/');
                path = string.Join('/', segments.Select(segment => segment == secret || Uri.UnescapeDataString(segment) == secret ? $"{{{name}}}" : segment));
            }
        }

        return path;
    }

    /// <summary>Rewrites a server span's raw-path tags (and its name, if it holds the path) with <see cref="RedactPath"/>.</summary>
    public static void RedactServerSpan(Activity activity, HttpContext context)
    {
        var raw = context.Request.Path.Value ?? string.Empty;
        var redacted = RedactPath(context);
        if (redacted == raw)
        {
            return;
        }

        activity.SetTag("url.path", redacted);
        if (activity.GetTagItem("http.target") is not null)
        {
            activity.SetTag("http.target", redacted); // the older semantic conventions' name for it
        }

        activity.SetTag("url.full", null);
        if (activity.DisplayName.Contains(raw, StringComparison.Ordinal))
        {
            activity.DisplayName = activity.DisplayName.Replace(raw, redacted, StringComparison.Ordinal);
        }
    }

    /// <summary>An outgoing URL with every query value replaced and no user info: both carry tokens, passwords and signatures.</summary>
    public static string RedactQuery(Uri uri)
    {
        var withoutQuery = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        if (string.IsNullOrEmpty(uri.Query) || uri.Query == "?")
        {
            return withoutQuery;
        }

        var pairs = uri.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)[0] + "=" + RedactedValue);
        return $"{withoutQuery}?{string.Join('&', pairs)}";
    }
}
