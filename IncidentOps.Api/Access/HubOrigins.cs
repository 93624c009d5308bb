using IncidentOps.Api.Apis;
using IncidentOps.Api.Hubs;

namespace IncidentOps.Api.Access;

/// <summary>
/// The web origins allowed to call the API with a browser (<c>Cors:AllowedOrigins</c>, exact matches). CORS does not
/// cover WebSockets, so the hub checks a browser's <c>Origin</c> itself: a page elsewhere cannot ride a viewer's token.
/// </summary>
public sealed class HubOrigins(IEnumerable<string> origins)
{
    private readonly HashSet<string> _allowed = new(origins, StringComparer.OrdinalIgnoreCase);

    /// <summary>The configured origins, without a trailing slash (as browsers send them).</summary>
    public static string[] Read(IConfiguration configuration) =>
        [.. (configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? []).Select(o => o.TrimEnd('/'))];

    public bool IsAllowed(string origin) => _allowed.Contains(origin.TrimEnd('/'));

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
