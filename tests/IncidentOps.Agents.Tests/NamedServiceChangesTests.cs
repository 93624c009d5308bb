using System.Text.Json;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// A cause whose change sits under a service that pages for nothing itself (an IdP's attribute filter, a GPO in Active
/// Directory): the diagnosis reads the changes of the services the alerts name, beside the incident's own, through the
/// real DI registration and Redis.
/// </summary>
public sealed class NamedServiceChangesTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    private Task<DiagnosisResult> DiagnoseAsync(string service, string summary, object customDetails) =>
        fixture.DiagnoseEventAsync(service, summary, "Shibboleth SP", customDetails);

    [Fact]
    public async Task A_config_change_of_the_identity_provider_the_alerts_name_is_weighed_as_the_cause()
    {
        var (service, idp, bystander) = (NewName("moodle"), NewName("shib-idp"), NewName("print"));
        var log = new ChangeLog(fixture.Redis.Connection, TimeProvider.System);
        await log.RecordAsync(new ChangeEvent($"chg_{idp}", idp, "attribute-filter.xml: release policy for the LMS narrowed", "ansible", "config", DateTimeOffset.UtcNow.AddMinutes(-9), null), null);
        // A change of a service the alerts do not name is nobody's suspect.
        await log.RecordAsync(new ChangeEvent($"chg_{bystander}", bystander, "print queue policy updated", "ansible", "config", DateTimeOffset.UtcNow.AddMinutes(-5), null), null);

        var diagnosis = await DiagnoseAsync(service, "Moodle SSO logins failing: SAML assertion carries no eduPersonPrincipalName, users sent to the error page",
            new { identity_provider = idp, failed_logins_15m = 1840, status = "urn:oasis:names:tc:SAML:2.0:status:Success" });

        var config = diagnosis.Hypotheses.Single(h => h.Category == "config_error");
        Assert.Equal("config_error", diagnosis.Hypotheses[0].Category);
        Assert.Contains(config.Evidence, e => e.Contains("attribute-filter.xml", StringComparison.Ordinal) && e.Contains($"the alerts name {idp}", StringComparison.Ordinal));
        Assert.DoesNotContain(diagnosis.Hypotheses.SelectMany(h => h.Evidence), e => e.Contains(bystander, StringComparison.Ordinal));
        // Listed as this service's changes only what this service changed: a rollback is of this service's deploys.
        Assert.Empty(diagnosis.RecentChanges);
    }

    [Fact]
    public void The_names_are_the_identifiers_the_alerts_give_not_their_sentences_nor_the_own_service()
    {
        var at = DateTimeOffset.UtcNow;
        var alert = new Alert("a1", "pagerduty", "k", "h", AlertStatus.Firing, "Logins failing on the portal", Severity.Critical, "portal", "varnish", null, "SSO", at, at, at, 1,
            JsonSerializer.SerializeToElement(new { idp = new { name = "shib-idp" }, note = "a sentence, not a name" }))
        {
            Labels = new Dictionary<string, string> { ["upstream"] = "postgres-citus", ["severity"] = "critical", ["service"] = "portal" },
            Annotations = new Dictionary<string, string> { ["description"] = "the IdP stopped releasing mail" },
        };
        var incident = new Incident("inc_1", alert.Summary, IncidentStatus.Triggered, alert.Severity, "portal", "k", alert.OccurredAt, alert.OccurredAt, null, null, [alert], 1);

        Assert.Equal(["varnish", "postgres-citus", "shib-idp"], NamedServices.In(incident));
        Assert.Equal(["postgres-citus", "shib-idp"], NamedServices.In(incident, excluded: ["varnish"]));
    }
}
