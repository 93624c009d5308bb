using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;

namespace IncidentOps.Core.Tests;

public class AlertNormaliserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static ValidEvent Valid(string? dedupKey, string summary = "CPU 97% on web-3", string severity = "critical", string? timestamp = null)
    {
        var (evt, errors) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team-web",
            EventAction = "trigger",
            DedupKey = dedupKey,
            Payload = new PagerDutyPayload { Summary = summary, Source = "web-3", Severity = severity, Component = "nginx", Timestamp = timestamp },
        });
        Assert.Empty(errors);
        return evt!;
    }

    [Fact]
    public void The_sender_dedup_key_is_the_alert_identity()
    {
        var first = AlertNormaliser.ToIncoming(Valid("cpu-web-3")).ToAlert(Now, "test");
        var again = AlertNormaliser.ToIncoming(Valid("cpu-web-3", summary: "CPU 99% on web-3")).ToAlert(Now.AddMinutes(1), "test");

        Assert.Equal("cpu-web-3", first.DedupKey);
        Assert.Equal(first.Id, again.Id);
        Assert.NotEqual(first.ContentHash, again.ContentHash);
    }

    [Fact]
    public void Without_a_dedup_key_the_same_problem_gets_the_same_fingerprint()
    {
        var first = AlertNormaliser.DedupKeyFor(Valid(null));
        var repeat = AlertNormaliser.DedupKeyFor(Valid(null));
        var other = AlertNormaliser.DedupKeyFor(Valid(null, summary: "Disk full on web-3"));

        Assert.StartsWith("fp_", first, StringComparison.Ordinal);
        Assert.Equal(first, repeat);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void An_identical_repeat_has_the_same_content_hash_whenever_it_arrives()
    {
        var first = AlertNormaliser.ToIncoming(Valid("k", timestamp: "2026-11-25T11:59:00Z")).ToAlert(Now, "test");
        var repeat = AlertNormaliser.ToIncoming(Valid("k", timestamp: "2026-11-25T11:59:00Z")).ToAlert(Now.AddMinutes(5), "test");

        Assert.Equal(first.ContentHash, repeat.ContentHash);
    }

    [Fact]
    public void Normalisation_maps_fields_and_falls_back_to_the_receive_time()
    {
        var alert = AlertNormaliser.ToIncoming(Valid("k", severity: "error")).ToAlert(Now, "test");

        Assert.Equal(Severity.Error, alert.Severity);
        Assert.Equal("web-3", alert.Service);
        Assert.Equal("nginx", alert.Component);
        Assert.Equal(Now, alert.OccurredAt);
        Assert.Equal(AlertStatus.Firing, alert.Status);
        Assert.Equal(1, alert.Occurrences);
    }
}
