using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentOps.Agents.Ai.Aws;

/// <summary>
/// What every wire-level AWS client shares: a named HttpClient whose pipeline retries (resilience handler)
/// and signs (SigV4 handler), JSON in and out, and AWS errors turned into <see cref="AwsServiceException"/>
/// with the service's own code and message. Both AWS JSON protocols are covered: REST-JSON (error code in
/// <c>x-amzn-ErrorType</c>) and JSON 1.1 (<c>X-Amz-Target</c> in, <c>__type</c> out).
/// </summary>
public abstract class AwsJsonClient(IHttpClientFactory factory, string clientName, string service)
{
    public const string Json11 = "application/x-amz-json-1.1";

    protected string Service => service;

    protected HttpClient Http => factory.CreateClient(clientName);

    protected async Task<JsonNode> PostAsync(string path, JsonNode body, CancellationToken cancellationToken, string? target = null)
    {
        using var response = await SendAsync(path, body, target, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonNode.Parse(text) ?? throw new JsonException("null document");
        }
        catch (JsonException ex)
        {
            throw new AwsServiceException(service, "MalformedResponse", $"the response is not JSON ({ex.Message})", response.StatusCode);
        }
    }

    /// <summary>Sends and returns the response with its body unread (event streams); the caller disposes it.</summary>
    protected async Task<HttpResponseMessage> SendAsync(string path, JsonNode body, string? target, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(target is null ? "application/json" : Json11);
        if (target is not null)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        }

        var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await ErrorOfAsync(response, cancellationToken);
            }
        }

        return response;
    }

    protected AwsServiceException Malformed(string what) => new(service, "MalformedResponse", what, HttpStatusCode.OK);

    /// <summary>
    /// An exception frame of an event stream. Its <c>:exception-type</c> is the member of the stream's union
    /// (<c>throttlingException</c>); the SDKs raise it by its shape name (<c>ThrottlingException</c>), and so do we.
    /// An <c>error</c> frame (a failure outside the model) names itself in <c>:error-code</c> and <c>:error-message</c>.
    /// Either arrives after a 200, too late to retry the request.
    /// </summary>
    protected AwsServiceException StreamError(AwsEventMessage message)
    {
        string? text = null;
        try
        {
            text = (string?)JsonNode.Parse(message.Payload)?["message"];
        }
        catch (JsonException)
        {
            // A payload that is not JSON still names the error through its headers.
        }

        text ??= message.Headers.GetValueOrDefault(":error-message");
        var type = message.ExceptionType ?? "StreamException";
        var code = char.ToUpperInvariant(type[0]) + type[1..];
        return new AwsServiceException(service, code, text ?? "error in the event stream", AwsRetryRule.IsThrottling(0, code) ? HttpStatusCode.TooManyRequests : HttpStatusCode.OK);
    }

    private async Task<AwsServiceException> ErrorOfAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? code = response.Headers.TryGetValues("x-amzn-ErrorType", out var types) ? types.First() : null;
        string? message = null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject json)
            {
                code ??= (string?)json["__type"] ?? (string?)json["code"] ?? (string?)json["Code"];
                message = (string?)json["message"] ?? (string?)json["Message"];
            }
        }
        catch (JsonException)
        {
            message = text.Length > 200 ? text[..200] : text;
        }

        code = code is null ? $"Http{(int)response.StatusCode}" : AwsRetryRule.CodeOf(code);
        return new AwsServiceException(service, code, message ?? response.ReasonPhrase ?? "no message", response.StatusCode);
    }
}
