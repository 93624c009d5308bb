using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest;

/// <summary>
/// The body of <c>POST /api/v1/changes</c>: the PagerDuty Change Events shape (<c>routing_key</c>,
/// <c>payload{summary, timestamp, source, custom_details}</c>), plus the service it changed and its kind,
/// which may also arrive as <c>custom_details.service</c> / <c>custom_details.kind</c>.
/// </summary>
public sealed record ChangeEventBody
{
    [JsonPropertyName("routing_key")]
    public string? RoutingKey { get; init; }

    [JsonPropertyName("payload")]
    public ChangePayload? Payload { get; init; }
}

public sealed record ChangePayload
{
    [JsonPropertyName("summary")]
    public string? Summary { get; init; }

    [JsonPropertyName("timestamp")]
    public string? Timestamp { get; init; }

    [JsonPropertyName("source")]
    public string? Source { get; init; }

    [JsonPropertyName("service")]
    public string? Service { get; init; }

    [JsonPropertyName("kind")]
    public string? Kind { get; init; }

    [JsonPropertyName("custom_details")]
    public JsonElement? CustomDetails { get; init; }
}

public static class ChangeValidation
{
    public static (ChangeEvent? Change, IReadOnlyList<FieldError> Errors) Validate(ChangeEventBody body, DateTimeOffset now)
    {
        var errors = new List<FieldError>();
        var p = body.Payload;
        if (p is null)
        {
            return (null, [new FieldError("payload", "payload is required.")]);
        }

        if (string.IsNullOrWhiteSpace(p.Summary) || p.Summary.Length > EventValidation.MaxSummaryLength)
        {
            errors.Add(new("payload.summary", $"payload.summary is required, at most {EventValidation.MaxSummaryLength} characters."));
        }

        var service = p.Service ?? Detail(p.CustomDetails, "service") ?? p.Source;
        if (string.IsNullOrWhiteSpace(service) || service.Length > EventValidation.MaxFieldLength)
        {
            errors.Add(new("payload.service", "payload.service (or custom_details.service, or payload.source) names the changed service."));
        }

        var kind = (p.Kind ?? Detail(p.CustomDetails, "kind") ?? "other").ToLowerInvariant();
        if (!ChangeEvent.Kinds.Contains(kind))
        {
            errors.Add(new("payload.kind", $"payload.kind must be one of {string.Join(", ", ChangeEvent.Kinds)} (got '{kind}')."));
        }

        var at = now;
        if (p.Timestamp is not null && !DateTimeOffset.TryParse(p.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
        {
            errors.Add(new("payload.timestamp", $"payload.timestamp must be an ISO 8601 time (got '{p.Timestamp}')."));
        }
        else if (at > now.AddMinutes(5))
        {
            errors.Add(new("payload.timestamp", "payload.timestamp is in the future."));
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ChangeEvent(IdOf(service!.Trim(), kind, at, p.Summary!.Trim(), p.Source?.Trim() ?? "unknown"), service.Trim(), p.Summary.Trim(),
                p.Source?.Trim() ?? "unknown", kind, at.ToUniversalTime(), p.CustomDetails?.Clone()), []);
    }

    /// <summary>The same change (service, kind, time, summary, source) always gets the same id: a retried delivery is recognised.</summary>
    public static string IdOf(string service, string kind, DateTimeOffset at, string summary, string source) =>
        "chg_" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            string.Join('\u001f', service.ToLowerInvariant(), kind, at.ToUniversalTime().ToUnixTimeMilliseconds(), summary, source))), 0, 8).ToLowerInvariant();

    private static string? Detail(JsonElement? details, string name) =>
        details is { ValueKind: JsonValueKind.Object } d && d.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
