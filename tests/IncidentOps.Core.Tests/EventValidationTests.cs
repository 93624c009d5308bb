using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;

namespace IncidentOps.Core.Tests;

public class EventValidationTests
{
    private static PagerDutyEvent Trigger(Func<PagerDutyPayload, PagerDutyPayload>? payload = null, string? dedupKey = "disk-1") => new()
    {
        RoutingKey = "team-storage",
        EventAction = "trigger",
        DedupKey = dedupKey,
        Payload = (payload ?? (p => p))(new PagerDutyPayload
        {
            Summary = "Disk 91% full on db-1",
            Source = "db-1",
            Severity = "warning",
            Timestamp = "2026-11-25T10:00:00+01:00",
        }),
    };

    [Fact]
    public void A_complete_trigger_is_valid_with_its_severity_and_timestamp_in_UTC()
    {
        var (evt, errors) = EventValidation.Validate(Trigger());

        Assert.Empty(errors);
        Assert.Equal(EventAction.Trigger, evt!.Action);
        Assert.Equal(Severity.Warning, evt.Severity);
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero), evt.Timestamp);
        Assert.Equal(TimeSpan.Zero, evt.Timestamp!.Value.Offset);
    }

    [Theory]
    [InlineData("explode", "event_action")]
    [InlineData("", "event_action")]
    public void An_unknown_action_is_named(string action, string field)
    {
        var (evt, errors) = EventValidation.Validate(Trigger() with { EventAction = action });

        Assert.Null(evt);
        Assert.Contains(errors, e => e.Field == field);
    }

    [Fact]
    public void Every_missing_field_of_a_trigger_is_named()
    {
        var body = new PagerDutyEvent { EventAction = "trigger", Payload = new PagerDutyPayload() };

        var (_, errors) = EventValidation.Validate(body);

        Assert.Equal(
            ["payload.severity", "payload.source", "payload.summary", "routing_key"],
            errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_trigger_without_payload_and_a_resolve_without_dedup_key_are_invalid()
    {
        Assert.Contains(EventValidation.Validate(Trigger() with { Payload = null }).Errors, e => e.Field == "payload");
        Assert.Contains(EventValidation.Validate(new PagerDutyEvent { RoutingKey = "k", EventAction = "resolve" }).Errors, e => e.Field == "dedup_key");
    }

    [Fact]
    public void A_resolve_needs_no_payload()
    {
        var (evt, errors) = EventValidation.Validate(new PagerDutyEvent { RoutingKey = "k", EventAction = "resolve", DedupKey = "disk-1" });

        Assert.Empty(errors);
        Assert.Equal(EventAction.Resolve, evt!.Action);
    }

    [Theory]
    [InlineData("severe")]
    [InlineData("CRIT")]
    public void An_unknown_severity_is_named(string severity)
    {
        var (_, errors) = EventValidation.Validate(Trigger(p => p with { Severity = severity }));

        Assert.Equal("payload.severity", Assert.Single(errors).Field);
    }

    [Fact]
    public void Over_long_strings_and_bad_timestamps_are_named()
    {
        var (_, errors) = EventValidation.Validate(Trigger(p => p with
        {
            Summary = new string('x', EventValidation.MaxSummaryLength + 1),
            Timestamp = "yesterday at noon",
        }));

        Assert.Equal(["payload.summary", "payload.timestamp"], errors.Select(e => e.Field).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Custom_details_of_any_shape_are_kept()
    {
        using var details = JsonDocument.Parse("""{"disk":"/var","used_pct":91,"hosts":["db-1"]}""");
        var (evt, errors) = EventValidation.Validate(Trigger(p => p with { CustomDetails = details.RootElement }));

        Assert.Empty(errors);
        var alert = AlertNormaliser.ToIncoming(evt!).ToAlert(DateTimeOffset.UtcNow, "test");
        Assert.Equal(91, alert.Details!.Value.GetProperty("used_pct").GetInt32());
    }
}
