using System.Net;
using IncidentOps.Api.Apis;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Model;

public sealed class OperatorOptions
{
    public const string Section = "Operators";

    /// <summary>
    /// The header an authenticating proxy in front of the API sets to the signed-in person (oauth2-proxy:
    /// <c>X-Auth-Request-Email</c>; Grafana-style proxies: <c>X-WEBAUTH-USER</c>). When set, people's changes
    /// (lifecycle commands, approvals, notes, attachments) need it, and it, not the body's <c>by</c>, is recorded.
    /// </summary>
    public string? UserHeader { get; set; }

    /// <summary>Addresses or networks (CIDR) the proxy connects from; with <see cref="UserHeader"/> set, others are refused.</summary>
    public List<string> TrustedProxies { get; set; } = [];
}

/// <summary>
/// Who makes a change. Without an authenticating proxy configured, the person the request names (<c>by</c>);
/// with one, the person the proxy vouches for, and only on requests that come through it.
/// </summary>
public sealed class OperatorIdentity(IOptions<OperatorOptions> options)
{
    private const int MaxLength = 200;

    public (string? Actor, ProblemHttpResult? Problem) Resolve(HttpRequest request, string? claimed, string field = "by")
    {
        var settings = options.Value;
        if (string.IsNullOrWhiteSpace(settings.UserHeader))
        {
            return string.IsNullOrWhiteSpace(claimed) || claimed.Length > MaxLength
                ? (null, ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field", $"{field} is required: who makes the change, at most {MaxLength} characters.", field))
                : (claimed.Trim(), null);
        }

        if (settings.TrustedProxies.Count > 0 && !FromTrustedProxy(request.HttpContext.Connection.RemoteIpAddress, settings.TrustedProxies))
        {
            return (null, ApiProblems.Create(StatusCodes.Status403Forbidden, "Not through the proxy",
                "Changes are accepted only through the authenticating proxy (Operators:TrustedProxies)."));
        }

        var user = request.Headers[settings.UserHeader].ToString().Trim();
        return user.Length is 0 or > MaxLength
            ? (null, ApiProblems.Create(StatusCodes.Status401Unauthorized, "Not signed in", $"No signed-in person: the {settings.UserHeader} header from the authenticating proxy is missing."))
            : (user, null);
    }

    private static bool FromTrustedProxy(IPAddress? remote, IEnumerable<string> trusted)
    {
        if (remote is null)
        {
            return false;
        }

        var address = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
        return trusted.Any(entry => entry.Contains('/', StringComparison.Ordinal)
            ? IPNetwork.TryParse(entry, out var network) && network.Contains(address)
            : IPAddress.TryParse(entry, out var single) && single.Equals(address));
    }
}

/// <summary>A trusted proxy entry that is neither an address nor a CIDR network would silently refuse everyone: fail at start instead.</summary>
public sealed class OperatorOptionsValidation : IValidateOptions<OperatorOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorOptions options)
    {
        var bad = options.TrustedProxies.Where(e => !(e.Contains('/', StringComparison.Ordinal) ? IPNetwork.TryParse(e, out _) : IPAddress.TryParse(e, out _))).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Operators:TrustedProxies: '{string.Join("', '", bad)}' is not an IP address or a CIDR network.");
    }
}
