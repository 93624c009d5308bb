using System.Text.Json;
using IncidentOps.Core.Events;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

/// <summary>
/// Reads a webhook body with our own limits and error messages. Binding by hand, not by the
/// minimal-API binder, because every bad body must get a problem response that names the problem
/// (which JSON path has the wrong type, where the JSON breaks), and an oversize body a 413.
/// </summary>
internal static class JsonBody
{
    /// <param name="anyContentType">SNS posts JSON as text/plain: accept the body whatever its Content-Type says.</param>
    /// <summary><c>application/json</c> or a <c>+json</c> type, by the parsed media type (not a substring).</summary>
    public static bool IsJson(string? contentType) =>
        Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(contentType, out var media)
        && (media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || (media.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));

    public static async Task<(T? Value, ProblemHttpResult? Problem)> ReadAsync<T>(HttpRequest request, int maxBytes, CancellationToken cancellationToken, bool anyContentType = false)
        where T : class
    {
        if (!anyContentType && !IsJson(request.ContentType))
        {
            return (null, ApiProblems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"The body must be JSON (Content-Type: application/json), not '{request.ContentType ?? "none"}'."));
        }

        if (request.ContentLength > maxBytes)
        {
            return (null, TooLarge(maxBytes));
        }

        var read = await ReadLimitedAsync(request.Body, maxBytes, cancellationToken);
        if (read is not { } buffer)
        {
            return (null, TooLarge(maxBytes));
        }

        if (buffer.Length == 0)
        {
            return (null, ApiProblems.Create(StatusCodes.Status400BadRequest, "Empty body", "The request body is empty; a JSON object is required."));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.Span, OpsJson.Options);
            return value is null
                ? (null, ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid body", "The body must be a JSON object, not null."))
                : (value, null);
        }
        catch (JsonException ex)
        {
            return (null, Describe(ex));
        }
    }

    private static ProblemHttpResult Describe(JsonException ex)
    {
        var path = ex.Path is null or "$" ? null : ex.Path.TrimStart('$', '.');
        var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : string.Empty;
        if (path is null && ex.InnerException is null && ex.Message.Contains("could not be converted", StringComparison.Ordinal))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid body", "The body must be a JSON object.", field: "$");
        }

        return ex.Message.Contains("could not be converted", StringComparison.Ordinal) && path is not null
            ? ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid field type", $"Field '{path}' has the wrong JSON type{where}.", field: path)
            : ApiProblems.Create(StatusCodes.Status400BadRequest, "Malformed JSON", $"The body is not valid JSON{where}: {FirstSentence(ex.Message)}", field: path);
    }

    public static async Task<ReadOnlyMemory<byte>?> ReadLimitedAsync(Stream body, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        // Pooled: at thousands of alerts a second, a fresh 16 KiB array per request is garbage the GC must sweep.
        var chunk = System.Buffers.ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > maxBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    public static ProblemHttpResult TooLarge(int maxBytes) =>
        ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, "Body too large", $"The body is larger than the limit of {maxBytes} bytes.");

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..(end + 1)];
    }
}
