using System.Text.Json;
using IncidentOps.Core.Ingest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Hosting;

namespace IncidentOps.Bench.Load;

/// <summary>
/// The bare Kestrel endpoint the ingest figures are compared to: parses the same Events v2 JSON and answers 202, nothing
/// else (no auth, no Redis). It runs as its own process (this program with the <c>baseline-server</c> command).
/// </summary>
public static class BaselineServer
{
    public static async Task RunAsync(string url)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(url);
        var app = builder.Build();
        app.MapGet("/health", () => "ok");
        app.MapPost("/api/v1/events", async (HttpRequest request) =>
        {
            var evt = await JsonSerializer.DeserializeAsync<PagerDutyEvent>(request.Body);
            return evt?.DedupKey is null ? Results.BadRequest() : Results.Accepted(value: new { status = "success", dedup_key = evt.DedupKey });
        });
        await app.RunAsync();
    }
}
