using System.Collections.Concurrent;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// The system an approved action changes (a runbook runner), on a real port. It records every call with its
/// <c>Idempotency-Key</c>, carries out each key once (a repeat is answered without running it again, as a receiver that
/// honours the header does), and can hold the first call open until the caller is killed.
/// </summary>
public sealed class RemediationTarget : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _firstCallArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    private RemediationTarget(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    /// <summary>Every call's key, in arrival order (null when the header was missing).</summary>
    public ConcurrentQueue<string?> Keys { get; } = new();

    /// <summary>Keys carried out (a repeat of a key is not carried out again).</summary>
    public ConcurrentDictionary<string, int> Performed { get; } = new();

    /// <summary>Whether the first call hangs until its caller goes away (the worker is killed mid-call).</summary>
    public bool HangFirstCall { get; init; }

    /// <summary>Completes when the first call has arrived (and, with <see cref="HangFirstCall"/>, is being held open).</summary>
    public Task FirstCallArrived => _firstCallArrived.Task;

    /// <summary>Whether the held first call saw its connection drop.</summary>
    public bool FirstCallAborted { get; private set; }

    public static async Task<RemediationTarget> StartAsync(bool hangFirstCall)
    {
        var port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var target = new RemediationTarget(app, $"http://127.0.0.1:{port}/") { HangFirstCall = hangFirstCall };
        app.MapPost("/runbooks/{name}", (Delegate)target.HandleAsync);
        await app.StartAsync();
        return target;
    }

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        Keys.Enqueue(key.Length == 0 ? null : key);
        var first = Interlocked.Increment(ref _calls) == 1;
        _firstCallArrived.TrySetResult();
        if (first && HangFirstCall)
        {
            try
            {
                // Held until the worker dies: its connection closes and the request is aborted. Nothing is carried out.
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                FirstCallAborted = true;
                return Results.Empty;
            }
        }

        var repeat = key.Length > 0 && Performed.ContainsKey(key);
        Performed.AddOrUpdate(key, 1, (_, n) => n);
        return Results.Json(new { run = repeat ? "already done" : "done", key }, statusCode: StatusCodes.Status200OK);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
