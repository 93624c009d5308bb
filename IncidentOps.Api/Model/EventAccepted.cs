using System.Text.Json.Serialization;
using IncidentOps.Core.Domain;

namespace IncidentOps.Api.Model;

/// <summary>The 202 answer: PagerDuty's <c>status</c>, <c>message</c>, <c>dedup_key</c>, plus where the event landed.</summary>
public sealed record EventAccepted(
    string Status,
    string Message,
    [property: JsonPropertyName("dedup_key")] string DedupKey,
    string IncidentId,
    string Outcome,
    IncidentStatus? IncidentStatus);
