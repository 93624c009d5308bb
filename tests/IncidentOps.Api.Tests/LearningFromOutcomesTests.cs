extern alias agents;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IncidentOps.Api.Tests;

/// <summary>
/// Learning from outcomes, through the API and the real agents worker: an incident told in a vocabulary the engine
/// reads wrongly is resolved with the cause a responder confirmed, and the next incident that reads like it is
/// diagnosed with that cause, citing the confirmed incident as evidence. The fix that worked joins the fix history.
/// </summary>
public sealed class LearningFromOutcomesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    // A Redis split brain told as the job queue sees it: no partition word the rules know, so the engine names another cause.
    private const string First = "Sidekiq retry set growing on billing-jobs: READONLY You can't write against a read only replica (sentinel reports two masters)";
    // The same failure a week later, told in other words (similarity 0.92 to the confirmed case): the model alone answers
    // "unknown" (no cause word it knows; 0.92 on "unknown"), with the confirmed case it names that case's cause.
    private const string Similar = "billing-jobs Sidekiq retries piling up: READONLY You can't write against a read only replica, sentinel shows two masters";

    [Fact]
    public async Task A_cause_confirmed_on_resolve_is_how_the_next_similar_incident_is_diagnosed()
    {
        await using var worker = new WebApplicationFactory<agents::Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", api.Redis.ConnectionString));
        _ = worker.Server;
        var store = new IncidentStore(api.Redis.Connection);

        var first = await TestIncidents.OpenAsync(store, First, service: "billing-jobs");
        var before = await DiagnosisAsync(store, first);
        Assert.NotEqual("network_partition", Top(before));

        var responder = await api.As("responder");
        using (var refused = await responder.PostAsJsonAsync($"/api/v1/incidents/{first}/resolve", new { reason = "sentinel failover", cause = "split_brain" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("cause must be one of", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var resolved = await responder.PostAsJsonAsync($"/api/v1/incidents/{first}/resolve",
            new { reason = "failed over to the healthy sentinel quorum", cause = "network_partition", fix = "failover" }))
        {
            Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        }

        Assert.Contains(await new FixOutcomes(api.Redis.Connection).ForCategoryAsync("network_partition"), f => f is { Remediation: "failover", Worked: >= 1 });

        var second = await TestIncidents.OpenAsync(store, Similar, service: "billing-jobs");
        var after = await DiagnosisAsync(store, second);
        Assert.True(Top(after) == "network_partition", $"the similar incident was diagnosed {after.GetRawText()}");
        var evidence = after.GetProperty("hypotheses")[0].GetProperty("evidence").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains(evidence, e => e!.Contains($"confirmed:{first}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_incident_counts_once_in_the_fix_history_and_a_corrected_confirmation_moves_its_credit()
    {
        var fixes = new FixOutcomes(api.Redis.Connection);
        var id = await TestIncidents.OpenAsync(new IncidentStore(api.Redis.Connection), "orders 5xx after release 7.2.0", service: $"orders-{Guid.NewGuid():N}");
        var rollbackBefore = await CountsAsync(fixes, "bad_deploy", "rollback");
        var revertBefore = await CountsAsync(fixes, "config_error", "revert_config");
        // The approved rollback ran and worked (what the action runner records), then the responder confirms the same fix.
        await fixes.RecordAsync(id, "bad_deploy", "rollback", worked: true);
        var responder = await api.As("responder");
        await ResolveAsync(responder, id, "bad_deploy", "rollback");
        Assert.Equal((rollbackBefore.Tried + 1, rollbackBefore.Worked + 1), await CountsAsync(fixes, "bad_deploy", "rollback"));

        // Reopened: the postmortem found a config change; resolved with that cause and fix, twice (a retried request).
        foreach (var _ in new[] { 1, 2 })
        {
            using (var reopened = await responder.PostAsJsonAsync($"/api/v1/incidents/{id}/reopen", new { reason = "errors are back" }))
            {
                Assert.Equal(HttpStatusCode.OK, reopened.StatusCode);
            }

            await ResolveAsync(responder, id, "config_error", "revert_config");
        }

        Assert.Equal((revertBefore.Tried + 1, revertBefore.Worked + 1), await CountsAsync(fixes, "config_error", "revert_config"));
        // The rollback still ran and worked for this incident; only the confirmation moved.
        Assert.Equal((rollbackBefore.Tried + 1, rollbackBefore.Worked + 1), await CountsAsync(fixes, "bad_deploy", "rollback"));
    }

    private static async Task ResolveAsync(HttpClient responder, string id, string cause, string fix)
    {
        using var resolved = await responder.PostAsJsonAsync($"/api/v1/incidents/{id}/resolve", new { reason = "fixed", cause, fix });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
    }

    private static async Task<(long Tried, long Worked)> CountsAsync(FixOutcomes fixes, string category, string remediation) =>
        (await fixes.ForCategoryAsync(category)).FirstOrDefault(f => f.Remediation == remediation) is { } f ? (f.Tried, f.Worked) : (0, 0);

    private static string? Top(JsonElement diagnosis) =>
        diagnosis.GetProperty("hypotheses") is { ValueKind: JsonValueKind.Array } h && h.GetArrayLength() > 0 ? h[0].GetProperty("category").GetString() : null;

    private static Task<JsonElement> DiagnosisAsync(IncidentStore store, string incident) =>
        Eventually.ResultAsync(async () => (await store.GetRunsAsync(incident)).TryGetValue(AgentPhase.Diagnosis, out var run) && run is { State: AgentState.Completed, Result: { } result }
            ? result : throw new InvalidOperationException("not diagnosed yet"), TimeSpan.FromSeconds(60), $"the diagnosis of {incident}");
}
