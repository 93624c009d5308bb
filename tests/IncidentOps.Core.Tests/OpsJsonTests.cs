using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;

namespace IncidentOps.Core.Tests;

public class OpsJsonTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    // The same options resolved by reflection only: what OpsJson wrote before the generated metadata.
    private static readonly JsonSerializerOptions Reflection = new(OpsJson.Options) { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private static Incident Sample()
    {
        var (evt, errors) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team-web",
            EventAction = "trigger",
            DedupKey = "cpu-web-3",
            Payload = new PagerDutyPayload
            {
                Summary = "CPU 97% on web-3 \"quoted\" <tag>", Source = "web-3", Severity = "critical", Component = "nginx", Class = "cpu",
                CustomDetails = JsonDocument.Parse("""{"cpu":0.97,"hosts":["web-3"],"note":"é"}""").RootElement,
            },
        });
        Assert.Empty(errors);
        var alert = AlertNormaliser.ToIncoming(evt!).ToAlert(Now, "first alert of a new incident");
        return new Incident("inc_1", alert.Summary, IncidentStatus.Mitigated, Severity.Critical, "web-3", alert.DedupKey, Now, Now, Now, null, [alert], 3)
        {
            GroupKey = "web-3/nginx/cpu", LastAlertAt = Now, MitigatedAt = Now, AlertCount = 7, FiringAlertCount = 2,
        };
    }

    [Fact]
    public void The_generated_metadata_writes_and_reads_what_reflection_did()
    {
        var incident = Sample();
        var summary = new IncidentChanged(IncidentSummary.From(incident, new Dictionary<AgentPhase, AgentRun>())) { Actor = "events", Reason = "why" };
        var work = new WorkItem("inc_1", "opened", Now);
        object[] values = [incident, incident.Alerts[0], new AlertReceived(incident.Alerts[0]), summary, work];

        foreach (var value in values)
        {
            Assert.Equal(JsonSerializer.Serialize(value, value.GetType(), Reflection), JsonSerializer.Serialize(value, value.GetType(), OpsJson.Options));
        }

        var read = OpsJson.Deserialize<Incident>(OpsJson.Serialize(incident));
        Assert.Equal((7, 2, "critical"), (read.AlertCount, read.FiringAlertCount, JsonSerializer.Serialize(read.Severity, OpsJson.Options).Trim('"')));
        Assert.Equal("é", read.Alerts[0].Details!.Value.GetProperty("note").GetString());
    }

    [Fact]
    public void An_incident_document_without_counts_counts_the_alerts_it_holds()
    {
        var incident = Sample();
        var old = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(OpsJson.Serialize(incident), OpsJson.Options)!;
        old.Remove("alertCount");
        old.Remove("firingAlertCount");

        var read = OpsJson.Deserialize<Incident>(JsonSerializer.Serialize(old));

        Assert.Equal((1, 1), (read.AlertCount, read.FiringAlertCount));
        Assert.True(read.HoldsAllAlerts);
    }
}
