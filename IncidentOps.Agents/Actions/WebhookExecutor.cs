using System.Net.Http.Json;
using IncidentOps.Core.Domain;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Actions;

/// <summary>
/// POSTs the approved action to an automation endpoint (a runbook runner, a CI job trigger). Only URLs
/// under a configured prefix are called; the response status decides success and its start is recorded. Every call carries
/// the action's <c>Idempotency-Key</c> (the IETF httpapi draft's header), the same when a worker that died mid-call is
/// replaced and the action is retried, so the receiver can run it once.
/// </summary>
public sealed class WebhookExecutor(IHttpClientFactory http, IOptions<ActionOptions> options) : IActionExecutor
{
    public const string HttpClientName = "action-webhook";
    public const string IdempotencyKeyHeader = "Idempotency-Key";
    private const int RecordedBodyLength = 500;

    public string Name => ActionExecutors.Webhook;

    /// <summary>
    /// Same scheme, host and port as the allowed URL, and a path under its path: a plain string prefix would let
    /// <c>https://ops.example.com.evil.io</c> pass for <c>https://ops.example.com</c>. URLs with user info are refused.
    /// </summary>
    public static bool IsUnder(Uri target, string allowed)
    {
        if (!Uri.TryCreate(allowed, UriKind.Absolute, out var prefix) || target.UserInfo.Length > 0
            || target.Scheme is not ("http" or "https")
            || !string.Equals(target.Scheme, prefix.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(target.IdnHost, prefix.IdnHost, StringComparison.OrdinalIgnoreCase) || target.Port != prefix.Port)
        {
            return false;
        }

        var path = prefix.AbsolutePath.EndsWith('/') ? prefix.AbsolutePath : prefix.AbsolutePath + "/";
        return target.AbsolutePath.StartsWith(path, StringComparison.Ordinal) || target.AbsolutePath == prefix.AbsolutePath;
    }

    public async Task<ExecutionOutcome> ExecuteAsync(ProposedAction action, Incident incident, CancellationToken cancellationToken)
    {
        var settings = options.Value.Webhook;
        var url = action.Url ?? settings.Url;
        if (url is null)
        {
            return new(false, "No webhook URL: set Actions:Webhook:Url or give the step a URL.");
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || !settings.AllowedUrls.Any(prefix => IsUnder(target, prefix)))
        {
            return new(false, $"Refused: {url} is not under an allowed prefix (Actions:Webhook:AllowedUrls).");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        try
        {
            var body = new
            {
                actionId = action.Id, incidentId = incident.Id, service = incident.Service, action.Title, action.Remediation,
                action.Command, approvedBy = action.DecidedBy, reason = action.DecisionReason,
                idempotencyKey = action.IdempotencyKey, attempt = action.Attempts,
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = JsonContent.Create(body) };
            request.Headers.Add(IdempotencyKeyHeader, action.IdempotencyKey);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            var text = await response.Content.ReadAsStringAsync(timeout.Token);
            var detail = $"HTTP {(int)response.StatusCode} from {target.Host}: {text[..Math.Min(text.Length, RecordedBodyLength)]}";
            return new(response.IsSuccessStatusCode, detail);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(false, $"Timed out after {settings.TimeoutSeconds} s calling {target.Host}.");
        }
        catch (HttpRequestException ex)
        {
            return new(false, $"Could not call {target.Host}: {ex.Message}");
        }
    }
}
