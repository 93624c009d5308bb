using System.Diagnostics;
using IncidentOps.Core.Access;

namespace IncidentOps.Api.Access;

/// <summary>Builds an audit entry from a request: the endpoint's name as the action, its route ids as the target.</summary>
public static class AuditRecords
{
    private const int MaxUserAgent = 300;
    private static readonly string[] TargetKeys = ["id", "actionId", "keyId", "source"];

    /// <summary>What a request did, as the audit trail names it: its endpoint's name, or its method and path.</summary>
    public static string ActionOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? $"{context.Request.Method} {context.Request.Path}";

    public static AuditEntry ForRequest(HttpContext context, string? action, string outcome, string? detail = null)
    {
        var endpoint = context.GetEndpoint();
        var routeValues = context.Request.RouteValues;
        // Only ids name the target; a {token} route value is a secret and never recorded.
        var target = string.Join("/", TargetKeys
            .Where(routeValues.ContainsKey).Select(k => $"{k}={routeValues[k]}"));
        var userAgent = context.Request.Headers.UserAgent.ToString();
        return new AuditEntry(
            Id: string.Empty,
            At: default,
            Action: action ?? ActionOf(context),
            Target: target.Length == 0 ? $"{context.Request.Method} {endpoint?.DisplayName ?? context.Request.Path.ToString()}" : target,
            Actor: context.User.ToAuditActor(),
            Outcome: outcome,
            ClientIp: context.Connection.RemoteIpAddress?.ToString(),
            UserAgent: userAgent.Length > MaxUserAgent ? userAgent[..MaxUserAgent] : userAgent,
            TraceId: Activity.Current?.TraceId.ToString(),
            Detail: detail);
    }
}
