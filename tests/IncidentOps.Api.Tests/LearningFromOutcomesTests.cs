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

    private static string? Top(JsonElement diagnosis) =>
        diagnosis.GetProperty("hypotheses") is { ValueKind: JsonValueKind.Array } h && h.GetArrayLength() > 0 ? h[0].GetProperty("category").GetString() : null;

    private static Task<JsonElement> DiagnosisAsync(IncidentStore store, string incident) =>
        Eventually.ResultAsync(async () => (await store.GetRunsAsync(incident)).TryGetValue(AgentPhase.Diagnosis, out var run) && run is { State: AgentState.Completed, Result: { } result }
            ? result : throw new InvalidOperationException("not diagnosed yet"), TimeSpan.FromSeconds(60), $"the diagnosis of {incident}");
}
