using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentOps.Ai.Tests;

/// <summary>
/// A request the fake received: which API it targeted (path and query as sent), its JSON body, whether its signature
/// held, and its method and headers (lower-case names) for the conformance tests' comparison with the official SDK.
/// </summary>
public sealed record FakeRequest(
    string Path, string? Target, JsonNode? Body, string? SignatureError, string ContentType, string Method = "POST", IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>What the fake answers: a status, JSON or raw bytes (event streams), and headers such as x-amzn-ErrorType.</summary>
public sealed record FakeResponse(int Status, string? Json = null, byte[]? Bytes = null, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse Ok(string json) => new(200, json);

    /// <summary>A REST-JSON error (Bedrock, Q Business): the code in <c>x-amzn-ErrorType</c>, with the suffix AWS's front end adds.</summary>
    public static FakeResponse Error(int status, string code, string message) =>
        new(status, new JsonObject { ["message"] = message }.ToJsonString(), Headers: new Dictionary<string, string> { ["x-amzn-ErrorType"] = $"{code}:http://internal.amazon.com/coral/com.amazon.bedrock/" });

    /// <summary>A JSON 1.1 error (Comprehend, Textract): the shape id in <c>__type</c> and the code in <c>x-amzn-ErrorType</c>.</summary>
    public static FakeResponse Json11Error(int status, string code, string message) =>
        new(status, new JsonObject { ["__type"] = $"com.amazonaws.service#{code}", ["message"] = message }.ToJsonString(), Headers: new Dictionary<string, string> { ["x-amzn-ErrorType"] = code });
}

/// <summary>
/// An in-process stand-in for the AWS endpoints (Kestrel on a free loopback port). Every request's SigV4
/// signature is recomputed with the shared test credentials; a bad signature is answered 403 as AWS would.
/// </summary>
public sealed class FakeAws : IAsyncDisposable
{
    public const string AccessKey = "AKIDTESTFAKE00000000";
    public const string Secret = "fakeSecretKeyForTests0000000000000000000";
    public const string Region = "us-east-1";

    private readonly WebApplication _app;

    public FakeAws()
    {
        Port = Ports.Free();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>The test's script: given the request, the answer.</summary>
    public Func<FakeRequest, FakeResponse> Respond { get; set; } = _ => FakeResponse.Error(500, "InternalServerException", "no script");

    public Task StartAsync() => _app.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public IReadOnlyList<FakeRequest> To(string pathOrTarget) =>
        [.. Requests.Where(r => r.Path.Contains(pathOrTarget, StringComparison.Ordinal) || r.Target == pathOrTarget)];

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        // The OpenAI-compatible path is not AWS: it carries a bearer key, not a signature.
        var signatureError = context.Request.Path.StartsWithSegments("/openai")
            ? (context.Request.Headers.Authorization.ToString() == "Bearer test-openai-key" ? null : "missing bearer key")
            : SigV4Verifier.Verify(context.Request, body, AccessKey, Secret, Region);
        var request = new FakeRequest(
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()!.RawTarget, context.Request.Headers["X-Amz-Target"].FirstOrDefault(),
            body.Length == 0 ? null : JsonNode.Parse(body), signatureError, context.Request.ContentType ?? string.Empty, context.Request.Method,
            context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString()));
        Requests.Enqueue(request);
        var response = signatureError is null
            ? Respond(request)
            : FakeResponse.Error(403, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided.");
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        if (response.Bytes is { } bytes)
        {
            context.Response.ContentType = "application/vnd.amazon.eventstream";
            await context.Response.Body.WriteAsync(bytes);
        }
        else if (response.Json is { } json)
        {
            // JSON 1.1 services answer in their own media type, REST-JSON ones in application/json.
            context.Response.ContentType = request.ContentType.StartsWith("application/x-amz-json", StringComparison.Ordinal) ? request.ContentType : "application/json";
            await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(json));
        }
    }
}
