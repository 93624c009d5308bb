using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

/// <summary>Drills: the gallery from the scenario corpus, a replay as a real incident marked as a drill, left out of the figures.</summary>
public class DrillsApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task The_gallery_lists_every_scenario_of_the_corpus_with_its_known_answer()
    {
        var corpus = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "scenarios"), "*.json", SearchOption.AllDirectories)
            .Count(f => Path.GetFileName(f) != "batches.json");
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/drills/scenarios");

        var items = list.GetProperty("items").EnumerateArray().ToList();
        Assert.True(corpus >= 40, $"the corpus shipped with the API has {corpus} scenarios");
        Assert.Equal(corpus, items.Count);
        var badDeploy = items.Single(i => i.GetProperty("id").GetString() == "bad_deploy-01");
        Assert.Equal("checkout-api", badDeploy.GetProperty("service").GetString());
        Assert.Equal("rollback", badDeploy.GetProperty("knownRemediation").GetString());
        Assert.Equal("critical", badDeploy.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task A_drill_opens_one_incident_of_its_own_marked_as_a_drill_and_left_out_of_the_figures()
    {
        var responder = await api.As("responder");

        using var first = await responder.PostAsJsonAsync("/api/v1/drills", new { scenarioId = "bad_deploy-01" });
        using var second = await responder.PostAsJsonAsync("/api/v1/drills", new { scenarioId = "bad_deploy-01" });

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        var started = await first.Content.ReadFromJsonAsync<JsonElement>();
        var again = await second.Content.ReadFromJsonAsync<JsonElement>();
        var incidentId = started.GetProperty("incidentId").GetString()!;
        Assert.NotEqual(incidentId, again.GetProperty("incidentId").GetString());
        var incident = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{incidentId}");
        var scenarioAlerts = started.GetProperty("alerts").GetInt32();
        Assert.True(scenarioAlerts >= 2);
        Assert.Equal(scenarioAlerts, incident.GetProperty("alerts").GetArrayLength());
        Assert.True(incident.GetProperty("incident").GetProperty("drill").GetBoolean());
        Assert.Equal("checkout-api", incident.GetProperty("incident").GetProperty("service").GetString());

        // A real alert of the same service does not join the drill.
        var real = await api.PostAsync(ApiFixture.Trigger($"real-{Guid.NewGuid():N}", service: "checkout-api"));
        Assert.NotEqual(incidentId, real.GetProperty("incidentId").GetString());

        // Resolved, the drill still never becomes a fact of the business figures; the real incident does.
        using var resolved = await responder.PostAsJsonAsync($"/api/v1/incidents/{incidentId}/resolve", new { reason = "drill over" });
        Assert.Equal(HttpStatusCode.OK, resolved.StatusCode);
        var facts = new FactStore(api.Redis.Connection, new IncidentStore(api.Redis.Connection));
        var read = await facts.ReadFromIncidentsAsync([incidentId, real.GetProperty("incidentId").GetString()!]);
        Assert.Equal([real.GetProperty("incidentId").GetString()], read.Select(f => f.Id));
        var prefix = $"{RedisKeys.Tag}:test:facts:{Guid.NewGuid():N}";
        await facts.RebuildAsync(prefix);
        var table = await facts.LoadAsync(prefix);
        // The full rebuild (the worker's first start) agrees: the only incident of this class that is no drill is the real one.
        Assert.Single(table.Rows);
    }

    [Fact]
    public async Task Bad_drill_requests_are_named_problems_and_viewers_may_not_start_one()
    {
        var responder = await api.As("responder");

        using var missing = await responder.PostAsJsonAsync("/api/v1/drills", new { });
        using var unknown = await responder.PostAsJsonAsync("/api/v1/drills", new { scenarioId = "no-such-scenario" });
        using var viewer = await (await api.As("viewer")).PostAsJsonAsync("/api/v1/drills", new { scenarioId = "bad_deploy-01" });

        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal("scenarioId", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no-such-scenario", await unknown.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, viewer.StatusCode);
    }
}
