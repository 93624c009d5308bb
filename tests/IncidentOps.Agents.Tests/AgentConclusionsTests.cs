using System.Text.Json;
using IncidentOps.Agents.Phases.Detection;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Prediction;
using IncidentOps.Agents.Phases.Resolution;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Ingest.Sources;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Tests;

/// <summary>What each agent concludes, read back from the stored results as a responder would see them.</summary>
public class AgentConclusionsTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private static string NewService() => $"svc-{Guid.NewGuid():N}"[..12];

    private Task<T> RunAsync<T>(IAgent agent, string incidentId, IReadOnlyDictionary<AgentPhase, JsonElement>? earlier = null) where T : class =>
        RunAsync<T>(agent, incidentId, earlier, CancellationToken.None);

    private async Task<T> RunAsync<T>(IAgent agent, string incidentId, IReadOnlyDictionary<AgentPhase, JsonElement>? earlier, CancellationToken ct) where T : class
    {
        var incident = (await fixture.Store.GetAsync(incidentId))!;
        var result = await agent.RunAsync(new AgentContext(incident, earlier ?? new Dictionary<AgentPhase, JsonElement>()), (_, _) => Task.CompletedTask, ct);
        return OpsJson.ToElement(result).Deserialize<T>(OpsJson.Options)!;
    }

    private async Task<string> AlertmanagerAsync(string service, params (string Name, string Instance, string Zone)[] alerts)
    {
        string? id = null;
        var correlator = new AlertCorrelator(fixture.Store, TimeProvider.System, Options.Create(new CorrelationOptions()));
        foreach (var (name, instance, zone) in alerts)
        {
            var labels = new Dictionary<string, string> { ["alertname"] = name, ["service"] = service, ["instance"] = instance, ["zone"] = zone, ["severity"] = "critical" };
            var (incoming, errors) = AlertmanagerNormaliser.Normalise(new AlertmanagerPayload
            {
                Version = "4", GroupKey = $"{{}}:{{service=\"{service}\"}}", Status = "firing", Receiver = "ops",
                Alerts = [new AlertmanagerAlert { Status = "firing", Labels = labels, Annotations = new() { ["summary"] = $"{name} on {instance}" }, StartsAt = DateTimeOffset.UtcNow.ToString("O"), Fingerprint = $"{service}-{name}-{instance}" }],
            }, "alertmanager");
            Assert.Empty(errors);
            var outcome = await correlator.IngestAsync(incoming[0], null);
            Assert.True(id is null || outcome.IncidentId == id, $"{outcome.Status}: {outcome.Message}");
            id ??= outcome.IncidentId;
        }

        return id!;
    }

    [Fact]
    public async Task Detection_measures_the_blast_radius_from_labels_and_links_related_open_incidents()
    {
        var service = NewService();
        var earlier = await fixture.OpenIncidentAsync("Queue consumer lag growing", service: service);
        var id = await AlertmanagerAsync(service, ("HighLatency", "api-1:9090", "eu-west-1a"), ("HighErrorRate", "api-2:9090", "eu-west-1b"));

        var detection = await RunAsync<DetectionResult>(fixture.Agent<DetectionAgent>(), id);

        Assert.Equal(["api-1:9090", "api-2:9090"], detection.Instances);
        Assert.Equal(["eu-west-1a", "eu-west-1b"], detection.Zones);
        var related = Assert.Single(detection.RelatedOpenIncidents);
        Assert.Equal((earlier, $"same service ({service})"), (related.Id, related.Reason));
    }

    [Fact]
    public async Task Prediction_estimates_time_to_resolve_and_slo_risk_from_the_service_s_resolved_incidents()
    {
        var service = NewService();
        var clock = new TestClock(DateTimeOffset.UtcNow.AddDays(-10));
        var ingestor = IncidentIngestor.Create(fixture.Store, clock);
        var commands = new IncidentCommands(fixture.Store, clock);
        foreach (var minutes in new[] { 20, 30, 40, 50, 90, 120 })
        {
            var (evt, _) = EventValidation.Validate(new PagerDutyEvent
            {
                RoutingKey = "team", EventAction = "trigger", DedupKey = Guid.NewGuid().ToString("N"),
                Payload = new PagerDutyPayload { Summary = $"checkout errors {minutes}", Source = service, Severity = "critical" },
            });
            var opened = await ingestor.IngestAsync(evt!, null);
            clock.Now += TimeSpan.FromMinutes(minutes);
            await commands.ApplyAsync(opened.IncidentId!, IncidentAction.Resolve, "sam", "fixed", null);
            clock.Now += TimeSpan.FromHours(1);
        }

        var id = await fixture.OpenIncidentAsync("checkout errors again", service: service);
        var prediction = await RunAsync<PredictionResult>(fixture.Agent<PredictionAgent>(("Agents:SloMinutesCritical", "60")), id);

        // Sorted 20 30 40 50 90 120: median 45, p10 25, p90 105 (type-7 quantiles); 2 of 6 took longer than 60 min.
        Assert.Equal((45.0, 25.0, 105.0, 6), (prediction.ExpectedMinutesToResolve, prediction.IntervalLowMinutes, prediction.IntervalHighMinutes, prediction.SampleSize));
        Assert.Equal((60.0, 0.33, false), (prediction.SloTargetMinutes!.Value, prediction.SloBreachProbability!.Value, prediction.LikelyToBreachSlo));
        Assert.Contains($"6 resolved incidents of {service}", prediction.Basis, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prediction_without_history_says_it_used_a_baseline_and_flags_an_escalating_warning_as_a_prevention_candidate()
    {
        var id = await fixture.OpenIncidentAsync("Disk filling on the reporting volume", severity: "warning", service: NewService());
        var escalating = OpsJson.ToElement(new DetectionResult("disk_full", ["x"], [], 1, 0.9, Severity.Warning, "s"));

        var prediction = await RunAsync<PredictionResult>(fixture.Agent<PredictionAgent>(), id, new Dictionary<AgentPhase, JsonElement> { [AgentPhase.Detection] = escalating });

        Assert.Equal(0, prediction.SampleSize);
        Assert.Contains("baseline", prediction.Basis, StringComparison.Ordinal);
        Assert.True(prediction.EscalationProbability >= 0.5);
        Assert.True(prediction.PreventionCandidate);
    }

    [Fact]
    public async Task Diagnosis_weighs_a_deploy_just_before_the_first_alert_and_shows_what_fixed_this_kind_before()
    {
        var service = NewService();
        var log = new ChangeLog(fixture.Redis.Connection, TimeProvider.System);
        await log.RecordAsync(new ChangeEvent("chg_1", service, $"Deployed {service} 4.2.0", "argo-cd", "deploy", DateTimeOffset.UtcNow.AddMinutes(-12), null), null);
        await log.RecordAsync(new ChangeEvent("chg_2", service, "Deployed 4.1.0", "argo-cd", "deploy", DateTimeOffset.UtcNow.AddDays(-3), null), null);
        var fixes = new FixOutcomes(fixture.Redis.Connection);
        var category = $"bad_deploy";
        var before = (await fixes.ForCategoryAsync(category)).FirstOrDefault(f => f.Remediation == "rollback");
        await fixes.RecordAsync($"earlier-{service}", category, "rollback", worked: true);
        // Errors with an exception of the new version, and a deploy 12 minutes before: the learned model weighs both (a
        // bare "5xx 12%" with a deploy is not enough for it to name a cause: its training corpus is full of red-herring deploys).
        var id = await fixture.OpenIncidentAsync("Checkout 5xx error rate 12%: NullPointerException in 4.2.0", service: service);

        var diagnosis = await RunAsync<DiagnosisResult>(fixture.Agent<DiagnosisAgent>(), id);

        Assert.Equal("bad_deploy", diagnosis.Hypotheses[0].Category);
        Assert.Contains(diagnosis.Hypotheses[0].Evidence, e => e.Contains($"Deployed {service} 4.2.0", StringComparison.Ordinal) && e.Contains("12 min before", StringComparison.Ordinal));
        Assert.Single(diagnosis.RecentChanges);
        var fix = diagnosis.PastFixes.Single(f => f.Remediation == "rollback");
        Assert.Equal(((before?.Tried ?? 0) + 1, (before?.Worked ?? 0) + 1), (fix.Tried, fix.Worked));
    }

    [Fact]
    public async Task Resolution_rate_limits_traffic_from_one_client_instead_of_scaling_for_it()
    {
        var id = await fixture.OpenIncidentAsync("Search requests up 5x", service: NewService());
        var organic = new DiagnosisResult([new Hypothesis("traffic_spike", "Traffic", 0.8, ["alert mentions 'surge'"])], false, "s");
        var abusive = new DiagnosisResult([new Hypothesis("traffic_spike", "Traffic", 0.8, ["alert mentions 'surge'", "details mention 'api_key'"])], false, "s");

        var forOrganic = await RunAsync<ResolutionPlan>(fixture.Agent<ResolutionAgent>(), id, new Dictionary<AgentPhase, JsonElement> { [AgentPhase.Diagnosis] = OpsJson.ToElement(organic) });
        var forAbusive = await RunAsync<ResolutionPlan>(fixture.Agent<ResolutionAgent>(), id, new Dictionary<AgentPhase, JsonElement> { [AgentPhase.Diagnosis] = OpsJson.ToElement(abusive) });

        Assert.Equal("scale_out", forOrganic.Steps.First(s => s.Kind == StepKind.ApprovalRequired).Remediation);
        Assert.Equal("rate_limit", forAbusive.Steps.First(s => s.Kind == StepKind.ApprovalRequired).Remediation);
    }

    [Fact]
    public async Task A_fix_that_kept_working_for_this_kind_of_incident_is_proposed_first()
    {
        var id = await fixture.OpenIncidentAsync("Orders pods OOMKilled", service: NewService());
        var proven = new DiagnosisResult([new Hypothesis("memory_leak", "Leak", 0.8, ["oomkilled"])], false, "s") { PastFixes = [new PastFix("rollback", 5, 4, 0.8)] };
        var unproven = proven with { PastFixes = [new PastFix("rollback", 2, 2, 1.0)] };

        var withRecord = await RunAsync<ResolutionPlan>(fixture.Agent<ResolutionAgent>(), id, new Dictionary<AgentPhase, JsonElement> { [AgentPhase.Diagnosis] = OpsJson.ToElement(proven) });
        var withoutRecord = await RunAsync<ResolutionPlan>(fixture.Agent<ResolutionAgent>(), id, new Dictionary<AgentPhase, JsonElement> { [AgentPhase.Diagnosis] = OpsJson.ToElement(unproven) });

        Assert.Equal(["rollback", "restart"], withRecord.Steps.Where(s => s.Kind == StepKind.ApprovalRequired).Select(s => s.Remediation));
        Assert.Equal(["restart"], withoutRecord.Steps.Where(s => s.Kind == StepKind.ApprovalRequired).Select(s => s.Remediation));
    }
}
