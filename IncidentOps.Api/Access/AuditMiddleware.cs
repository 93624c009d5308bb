using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Access;

/// <summary>
/// Writes every change people or API keys make (any non-read method) and every use of an API key to the audit
/// trail, with its outcome. Alerts from monitoring are not audited here: each is on its incident's timeline,
/// with its source as the actor.
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
        var byApiKey = context.User.FindFirst(AccessClaims.ApiKeyId) is not null;
        if ((write && context.User.Identity?.IsAuthenticated == true) || byApiKey)
        {
            await audit.AppendAsync(AuditRecords.ForRequest(context, action: null,
                outcome: context.Response.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture),
                detail: byApiKey && !write ? "read with an API key" : null));
        }
    }
}
