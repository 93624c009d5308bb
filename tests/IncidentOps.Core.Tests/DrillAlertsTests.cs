using IncidentOps.Core.Domain;
using IncidentOps.Core.Drills;
using IncidentOps.Core.Ingest;

namespace IncidentOps.Core.Tests;

public class DrillAlertsTests
{
    private static readonly DrillScenario Scenario = new(
        "bad_deploy-01", "a bad deploy", "checkout-api", new DrillExpectation("bad_deploy", "rollback"),
        [new DrillChange(14, "checkout-api", "argo-cd", "Deployed checkout-api 2.14.0", "deploy")],
        [
            new DrillAlert("alertmanager", 0, new() { ["alertname"] = "HighErrorRate", ["severity"] = "critical", ["service"] = "checkout-api" },
                new() { ["summary"] = "checkout-api 5xx ratio above 5%" }, null, null, null, null, null, null),
            new DrillAlert("events", 60, null, null, "checkout-api p99 latency 2.4s", "warning", "checkout-api", "shop", "latency", null),
        ]);

    [Fact]
    public void A_drills_alerts_share_one_group_of_their_own_are_marked_and_end_now()
    {
        var now = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

        var (alerts, changes) = DrillAlerts.Of(Scenario, "drill_1", now);
        var (other, _) = DrillAlerts.Of(Scenario, "drill_2", now);

        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, a => Assert.True(a.Drill));
        var keys = alerts.Select(a => AlertCorrelator.GroupKeyOf(a)).Distinct().ToList();
        Assert.Equal([("drill:drill_1", true)], keys);
        Assert.NotEqual(AlertCorrelator.GroupKeyOf(alerts[0]), AlertCorrelator.GroupKeyOf(other[0]));
        Assert.NotEqual(alerts[0].Fingerprint, other[0].Fingerprint);
        Assert.Equal(now, alerts[1].StartsAt);
        Assert.Equal(now.AddSeconds(-60), alerts[0].StartsAt);
        Assert.Equal(now.AddSeconds(-60).AddMinutes(-14), Assert.Single(changes).At);
        Assert.Equal("drill_1", alerts[0].Labels["drill"]);
    }

    [Fact]
    public void A_drills_changes_are_seen_by_that_drill_only_never_by_a_real_incident_of_the_service()
    {
        var now = DateTimeOffset.Parse("2026-12-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var (_, drillChanges) = DrillAlerts.Of(Scenario, "drill_1", now);
        var (_, otherDrillChanges) = DrillAlerts.Of(Scenario, "drill_2", now);
        var realDeploy = new ChangeEvent("chg_real", "checkout-api", "Deployed checkout-api 2.15.0", "argo-cd", "deploy", now.AddMinutes(-5), null);
        IReadOnlyList<ChangeEvent> logged = [.. drillChanges, .. otherDrillChanges, realDeploy];
        Incident Of(bool drill, string? group) =>
            new("inc_1", "checkout-api 5xx", IncidentStatus.Triggered, Severity.Critical, "checkout-api", "k", now, now, null, null, [], 1) { Drill = drill, GroupKey = group };

        Assert.Equal([realDeploy], DrillAlerts.VisibleTo(Of(drill: false, group: "alertmanager:checkout"), logged));
        Assert.Equal(drillChanges, DrillAlerts.VisibleTo(Of(drill: true, group: "drill:drill_1"), logged));
        Assert.Equal(otherDrillChanges, DrillAlerts.VisibleTo(Of(drill: true, group: "drill:drill_2"), logged));
    }

    [Fact]
    public void A_scenario_card_has_its_worst_severity_and_first_summary()
    {
        var card = DrillAlerts.Card(Scenario);

        Assert.Equal("critical", card.Severity);
        Assert.Equal("checkout-api 5xx ratio above 5%", card.Title);
        Assert.Equal(2, card.AlertCount);
    }
}
