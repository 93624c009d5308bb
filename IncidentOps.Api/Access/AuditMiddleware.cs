using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Access;

/// <summary>
/// Writes every change people or API keys make (any non-read method) and the use of API keys to the audit trail,
/// with its outcome: a key's reads once an hour per endpoint and outcome (<see cref="AuditLog.FirstKeyReadThisHourAsync"/>).
/// Alerts from monitoring are not audited here: each is on its incident's timeline, with its source as the actor.
/// </summary>
public sealed class AuditMiddleware(RequestDelegate next, AuditLog audit)
{
    public async Task InvokeAsync(HttpContext context)
    {
        await next(context);

        var endpoint = context.GetEndpoint();
        if (endpoint is null || endpoint.Metadata.GetMetadata<IngestTokenEndpoint>() is not null)
        {
            return;
        }

        // Opening the live stream (SignalR's negotiate is a POST) is a read.
        var write = !context.Request.Path.StartsWithSegments(Hubs.OpsHub.Path) && !(HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method) || HttpMethods.IsOptions(context.Request.Method));
        var keyId = context.User.FindFirst(AccessClaims.ApiKeyId)?.Value;
        if (!(write && context.User.Identity?.IsAuthenticated == true) && keyId is null)
        {
            return;
        }

        var outcome = context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (write)
        {
            await audit.AppendAsync(AuditRecords.ForRequest(context, action: null, outcome));
            return;
        }

        // A read with an API key (people's reads are not audited): the first of the hour per endpoint and outcome.
        if (keyId is { } key && await audit.FirstKeyReadThisHourAsync(key, AuditRecords.ActionOf(context), outcome))
        {
            await audit.AppendAsync(AuditRecords.ForRequest(context, action: null, outcome,
                detail: $"read with an API key (further reads of this endpoint with this outcome within {AuditLog.KeyReadWindow.TotalMinutes:0} min are not recorded)"));
        }
    }
}
