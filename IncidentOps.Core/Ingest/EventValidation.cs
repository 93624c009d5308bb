using System.Globalization;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest;

/// <summary>A problem with one field of an incoming body, named by its JSON path.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>A validated Events v2 body, ready to normalise.</summary>
public sealed record ValidEvent(
    EventAction Action,
    string RoutingKey,
    string? DedupKey,
    PagerDutyPayload? Payload,
    Severity? Severity,
    DateTimeOffset? Timestamp);

/// <summary>The rules of the Events v2 body beyond its JSON types (which the deserializer checks).</summary>
public static class EventValidation
{
    public const int MaxSummaryLength = 1024;
    public const int MaxKeyLength = 255;
    public const int MaxFieldLength = 255;

    public static (ValidEvent? Event, IReadOnlyList<FieldError> Errors) Validate(PagerDutyEvent body)
    {
        var errors = new List<FieldError>();

        Required(errors, "routing_key", body.RoutingKey, MaxKeyLength);
        EventAction? action = body.EventAction?.ToLowerInvariant() switch
        {
            "trigger" => EventAction.Trigger,
            "acknowledge" => EventAction.Acknowledge,
            "resolve" => EventAction.Resolve,
            _ => null,
        };
        if (action is null)
        {
            errors.Add(new("event_action", $"must be one of trigger, acknowledge, resolve (got '{body.EventAction}')."));
        }

        Optional(errors, "dedup_key", body.DedupKey, MaxKeyLength);
        if (action is EventAction.Acknowledge or EventAction.Resolve && string.IsNullOrWhiteSpace(body.DedupKey))
        {
            errors.Add(new("dedup_key", $"is required when event_action is {body.EventAction}."));
        }

        Severity? severity = null;
        DateTimeOffset? timestamp = null;
        if (action is EventAction.Trigger)
        {
            if (body.Payload is null)
            {
                errors.Add(new("payload", "is required when event_action is trigger."));
            }
            else
            {
                (severity, timestamp) = ValidatePayload(body.Payload, errors);
            }
        }

        return errors.Count > 0
            ? (null, errors)
            : (new ValidEvent(action!.Value, body.RoutingKey!, body.DedupKey?.Trim(), body.Payload, severity, timestamp), errors);
    }

    private static (Severity?, DateTimeOffset?) ValidatePayload(PagerDutyPayload payload, List<FieldError> errors)
    {
        Required(errors, "payload.summary", payload.Summary, MaxSummaryLength);
        Required(errors, "payload.source", payload.Source, MaxFieldLength);
        Optional(errors, "payload.component", payload.Component, MaxFieldLength);
        Optional(errors, "payload.group", payload.Group, MaxFieldLength);
        Optional(errors, "payload.class", payload.Class, MaxFieldLength);

        Severity? severity = payload.Severity?.ToLowerInvariant() switch
        {
            "critical" => Severity.Critical,
            "error" => Severity.Error,
            "warning" => Severity.Warning,
            "info" => Severity.Info,
            _ => null,
        };
        if (severity is null)
        {
            errors.Add(new("payload.severity", $"must be one of critical, error, warning, info (got '{payload.Severity}')."));
        }

        DateTimeOffset? timestamp = null;
        if (payload.Timestamp is not null)
        {
            if (DateTimeOffset.TryParse(payload.Timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                timestamp = parsed.ToUniversalTime();
            }
            else
            {
                errors.Add(new("payload.timestamp", $"must be an ISO 8601 date-time (got '{Truncate(payload.Timestamp)}')."));
            }
        }

        return (severity, timestamp);
    }

    private static void Required(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(new(field, "is required and must not be empty."));
        }
        else
        {
            Optional(errors, field, value, maxLength);
        }
    }

    private static void Optional(List<FieldError> errors, string field, string? value, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            errors.Add(new(field, $"must be at most {maxLength} characters (got {value.Length})."));
        }
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";
}
