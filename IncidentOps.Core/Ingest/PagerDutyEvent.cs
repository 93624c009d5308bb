using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentOps.Core.Ingest;

/// <summary>
/// The body of <c>POST /api/v1/events</c>: the PagerDuty Events API v2 shape. Every field is nullable
/// so that a missing one reaches <see cref="EventValidation"/>, which names it in the 400.
/// </summary>
public sealed record PagerDutyEvent
{
    [JsonPropertyName("routing_key")]
    public string? RoutingKey { get; init; }

    [JsonPropertyName("event_action")]
    public string? EventAction { get; init; }

    [JsonPropertyName("dedup_key")]
    public string? DedupKey { get; init; }

    [JsonPropertyName("payload")]
    public PagerDutyPayload? Payload { get; init; }

    [JsonPropertyName("client")]
    public string? Client { get; init; }

    [JsonPropertyName("client_url")]
    public string? ClientUrl { get; init; }
}

public sealed record PagerDutyPayload
{
    [JsonPropertyName("summary")]
    public string? Summary { get; init; }

    [JsonPropertyName("source")]
    public string? Source { get; init; }

    [JsonPropertyName("severity")]
    public string? Severity { get; init; }

    [JsonPropertyName("timestamp")]
    public string? Timestamp { get; init; }

    [JsonPropertyName("component")]
    public string? Component { get; init; }

    [JsonPropertyName("group")]
    public string? Group { get; init; }

    [JsonPropertyName("class")]
    public string? Class { get; init; }

    [JsonPropertyName("custom_details")]
    public JsonElement? CustomDetails { get; init; }
}

public enum EventAction
{
    Trigger,
    Acknowledge,
    Resolve,
}
