using System.Net;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace IncidentOps.Identity.Apis;

/// <summary>
/// The sign-in form as HTML. Written by hand (one small page, no Razor) because the provider has nothing else to render.
/// </summary>
public static class LoginPage
{
    public static IResult Render(AntiforgeryTokenSet tokens, string returnUrl, string? error, HttpStatusCode status = HttpStatusCode.OK)
    {
        var e = HtmlEncoder.Default;
        var message = error is null ? string.Empty : $"<p class=\"error\" role=\"alert\">{e.Encode(error)}</p>";
        var html = $$"""
            <!doctype html>
            <html lang="en">
            <head>
              <meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
              <title>Sign in · IncidentOps</title>
              <link rel="icon" href="data:,">
              <style>
                body { font-family: system-ui, sans-serif; background: #0f172a; color: #e2e8f0; display: grid; place-items: center; min-height: 100vh; margin: 0; }
                form { background: #1e293b; padding: 2rem; border-radius: 12px; width: min(22rem, 90vw); display: grid; gap: .75rem; }
                h1 { margin: 0 0 .5rem; font-size: 1.25rem; }
                label { display: grid; gap: .25rem; font-size: .9rem; }
                input { padding: .6rem; border-radius: 6px; border: 1px solid #475569; background: #0f172a; color: #e2e8f0; font-size: 1rem; }
                button { padding: .7rem; border: 0; border-radius: 6px; background: #38bdf8; color: #0f172a; font-weight: 600; font-size: 1rem; cursor: pointer; }
                .error { color: #fca5a5; margin: 0; }
                .hint { color: #94a3b8; font-size: .8rem; margin: 0; }
              </style>
            </head>
            <body>
              <form method="post" action="/account/login">
                <h1>Sign in to IncidentOps</h1>
                {{message}}
                <input type="hidden" name="{{e.Encode(tokens.FormFieldName)}}" value="{{e.Encode(tokens.RequestToken ?? string.Empty)}}">
                <input type="hidden" name="returnUrl" value="{{e.Encode(returnUrl)}}">
                <label>Username <input name="username" autocomplete="username" required autofocus></label>
                <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
                <button type="submit">Sign in</button>
                <p class="hint">Development provider: the seeded users are listed in the README.</p>
              </form>
            </body>
            </html>
            """;
        return Results.Content(html, "text/html; charset=utf-8", statusCode: (int)status);
    }
}
