using System.Text.Json;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// An SRE paged for checkout who sees the database paging in the same minutes reads that incident too: so does the
/// diagnosis, through the pipeline as the worker registers it (its own Redis: incidents of other tests would be open beside these).
/// </summary>
public class ConcurrentIncidentTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private IncidentPipeline Pipeline => fixture.Services().GetRequiredService<IncidentPipeline>();

    /// <summary>As the worker starts an analysis: the pending marker goes first (alerts or requests from here on queue another).</summary>
    private async Task AnalyseAsync(string incidentId)
    {
        await fixture.Redis.Db.KeyDeleteAsync(RedisKeys.AnalysisPending(incidentId));
        await Pipeline.RunAsync(incidentId, CancellationToken.None);
    }

    [Fact]
    public async Task Checkout_is_diagnosed_with_the_lock_waits_that_page_on_the_database_in_the_same_minutes()
    {
        var database = $"patroni-main-{Guid.NewGuid():N}"[..20];
        var checkout = await fixture.OpenIncidentAsync($"checkout p99 latency 6.8s and 5xx 9%: calls to {database} timing out after 5s", service: "checkout");
        await AnalyseAsync(checkout);
        var alone = await DiagnosisAsync(checkout);
        Assert.DoesNotContain(alone.Hypotheses.SelectMany(h => h.Evidence), e => e.Contains(database, StringComparison.Ordinal) && e.StartsWith("in incident", StringComparison.Ordinal));

        // The database pages a minute later, after checkout's first analysis: its own analysis asks for checkout's again.
        var locks = await fixture.OpenIncidentAsync(
            $"1,180 queries waiting for a lock on {database}: relation orders locked by ALTER TABLE (pid 48211) for 14 min, lock waits 96% of sessions",
            service: database);
        await AnalyseAsync(locks);
        var queued = await QueuedAnalysesAsync();
        Assert.Contains(queued, w => w.IncidentId == checkout && w.Reason.Contains(locks, StringComparison.Ordinal));

        // Another service pages in the same minutes with a cause of its own, nothing shared with checkout: not read beside the linked one.
        var unrelated = $"billing-{Guid.NewGuid():N}"[..14];
        await fixture.OpenIncidentAsync($"TLS to {unrelated}: x509: certificate has expired (NotAfter {DateTimeOffset.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ})", service: unrelated);

        await AnalyseAsync(checkout);
        var diagnosis = await DiagnosisAsync(checkout);
        var first = diagnosis.Hypotheses[0];
        Assert.Equal(("database_contention", database, locks), (first.Category, first.Service, first.IncidentId));
        Assert.Contains(first.Evidence, e => e.StartsWith($"in incident {locks} on {database}", StringComparison.Ordinal) && e.Contains("lock", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(diagnosis.Hypotheses.SelectMany(h => h.Evidence), e => e.Contains(unrelated, StringComparison.Ordinal));
        // The fix goes where the cause is.
        var fix = (await fixture.Actions.ListAsync(checkout)).Where(a => a.State != ActionState.Superseded && a.Kind == StepKind.ApprovalRequired).MinBy(a => a.Order)!;
        Assert.Contains(database, fix.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_incident_of_another_service_hours_earlier_or_not_linked_does_not_change_the_answer()
    {
        var clock = new TestClock(DateTimeOffset.UtcNow.AddHours(-3));
        await OpenAsync(clock, "reports-db", "Disk /var/lib/postgresql 100% full: No space left on device (ENOSPC), writes failing");
        var service = $"login-{Guid.NewGuid():N}"[..12];
        var login = await fixture.OpenIncidentAsync(
            $"TLS handshake to {service} failing: x509: certificate has expired or is not yet valid (NotAfter {DateTimeOffset.UtcNow.AddHours(-2):yyyy-MM-ddTHH:mm:ssZ})", service: service);
        await AnalyseAsync(login);
        var before = await DiagnosisAsync(login);

        // Another service's disk fills in the same minutes, nothing shared with the login service.
        var search = await fixture.OpenIncidentAsync("search-indexer node disk 97% used, flood-stage watermark exceeded", service: "search-indexer");
        await AnalyseAsync(search);
        await AnalyseAsync(login);
        var after = await DiagnosisAsync(login);

        Assert.Equal("certificate_expiry", before.Hypotheses[0].Category);
        Assert.Equal(before.Hypotheses[0].Category, after.Hypotheses[0].Category);
        Assert.InRange(after.Hypotheses[0].Confidence, before.Hypotheses[0].Confidence - 0.05, before.Hypotheses[0].Confidence + 0.05);
        Assert.Null(after.Hypotheses[0].Service);
        Assert.DoesNotContain(after.Hypotheses.SelectMany(h => h.Evidence), e => e.Contains("reports-db", StringComparison.Ordinal));
    }

    private async Task<DiagnosisResult> DiagnosisAsync(string incidentId) =>
        (await fixture.Store.GetRunsAsync(incidentId))[AgentPhase.Diagnosis].Result!.Value.Deserialize<DiagnosisResult>(OpsJson.Options)!;

    private async Task<IReadOnlyList<WorkItem>> QueuedAnalysesAsync() =>
        [.. (await fixture.Redis.Db.StreamRangeAsync(RedisKeys.AgentsWork)).Select(e => OpsJson.Deserialize<WorkItem>(e["work"].ToString()))];

    private async Task OpenAsync(TestClock clock, string service, string summary)
    {
        var (evt, errors) = EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team", EventAction = "trigger", DedupKey = Guid.NewGuid().ToString("N"),
            Payload = new PagerDutyPayload { Summary = summary, Source = service, Severity = "critical", Timestamp = clock.Now.ToString("O") },
        });
        Assert.Empty(errors);
        await IncidentIngestor.Create(fixture.Store, clock).IngestAsync(evt!, null);
    }
}
