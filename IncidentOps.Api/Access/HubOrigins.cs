using IncidentOps.Api.Apis;
using IncidentOps.Api.Hubs;

namespace IncidentOps.Api.Access;

/// <summary>
/// The web origins allowed to call the API with a browser (<c>Cors:AllowedOrigins</c>, exact matches). CORS does not
/// cover WebSockets, so the hub checks a browser's <c>Origin</c> itself: a page elsewhere cannot ride a viewer's token.
/// </summary>
public sealed class HubOrigins(IConfiguration configuration)
{
    private readonly HashSet<string> _allowed = new(
        (configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? []).Select(o => o.TrimEnd('/')),
        StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(string origin) => _allowed.Contains(origin.TrimEnd('/'));

    public IReadOnlyCollection<string> Allowed => _allowed;

    /// <summary>Refuses a hub request whose browser Origin is not listed (non-browser clients send none).</summary>
    public static async Task CheckAsync(HttpContext context, Func<Task> next)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && context.Request.Path.StartsWithSegments(OpsHub.Path)
            && !context.RequestServices.GetRequiredService<HubOrigins>().IsAllowed(origin))
        {
            await ApiProblems.Create(StatusCodes.Status403Forbidden, "Origin not allowed",
                $"The live stream accepts browsers only from the configured web origins (Cors:AllowedOrigins), not '{origin}'.").ExecuteAsync(context);
            return;
        }

        await next();
    }
}
