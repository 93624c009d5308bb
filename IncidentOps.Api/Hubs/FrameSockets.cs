using Microsoft.AspNetCore.Http.Features;

namespace IncidentOps.Api.Hubs;

/// <summary>
/// Gives the hub's WebSocket connections a <see cref="FrameSocket"/>: the hub's path runs ASP.NET Core's WebSocket
/// middleware itself (SignalR's own, further on, then finds the feature set and leaves it), and the accepting feature is
/// wrapped so that the socket SignalR accepts is shared with the hub's frame sends. The hub finds it on the request's features.
/// </summary>
public static class FrameSockets
{
    public static IApplicationBuilder UseFrameSockets(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(OpsHub.Path),
            hub => hub.UseWebSockets().Use((context, next) =>
            {
                if (context.Features.Get<IHttpWebSocketFeature>() is { IsWebSocketRequest: true } accepting)
                {
                    var feature = new FrameSocketFeature(accepting);
                    context.Features.Set<IHttpWebSocketFeature>(feature);
                    context.Features.Set(feature);
                }

                return next(context);
            }));

    /// <summary>The hub connection's shared socket, or null when it is not a WebSocket of this hub's (long polling, server-sent events).</summary>
    public static FrameSocket? FrameSocketOf(this HttpContext? context) => context?.Features.Get<FrameSocketFeature>()?.Socket;
}

/// <summary>Accepts the WebSocket as ASP.NET Core does and keeps it wrapped for the hub.</summary>
public sealed class FrameSocketFeature(IHttpWebSocketFeature accepting) : IHttpWebSocketFeature
{
    public FrameSocket? Socket { get; private set; }

    public bool IsWebSocketRequest => accepting.IsWebSocketRequest;

    public async Task<System.Net.WebSockets.WebSocket> AcceptAsync(WebSocketAcceptContext context)
    {
        Socket = new FrameSocket(await accepting.AcceptAsync(context));
        return Socket;
    }
}
