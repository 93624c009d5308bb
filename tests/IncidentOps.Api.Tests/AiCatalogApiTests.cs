using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

/// <summary>Every AI service listed whatever is configured; each incident's AI calls with their total, as the transparency page reads them.</summary>
public class AiCatalogApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private AiUsageStore Usage => new(api.Redis.Connection, new OpsEventLog(api.Redis.Connection), Options.Create(new AiHealthOptions()), TimeProvider.System);

    [Fact]
    public async Task Every_ai_service_is_listed_unknown_before_the_agents_report_and_not_configured_naming_its_setting_after()
    {
        var before = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/ai/services");
        var listed = before.GetProperty("catalog").EnumerateArray().ToList();
        Assert.Equal(AiCatalog.All.Select(e => e.Id), listed.Select(s => s.GetProperty("id").GetString()));
        Assert.All(listed.Where(s => s.GetProperty("id").GetString() != "local"), s => Assert.Equal("unknown", s.GetProperty("state").GetString()));
        var localBefore = listed.Single(s => s.GetProperty("id").GetString() == "local");
        var callsBefore = localBefore.GetProperty("allTime").GetProperty("calls").GetInt64();
        var hourBefore = localBefore.GetProperty("last24Hours").EnumerateArray().Last().GetProperty("calls").GetInt64();

        // The agents worker on the local engine (no AWS credentials) publishes what it runs with.
        var local = new AiConfiguration(DateTimeOffset.UtcNow, "local", "Auto: no AWS credentials configured",
            [.. AiCatalog.All.Select(e => new AiConfiguredService(e.Id, e.Service == AiServices.Local, e.Service == AiServices.Local ? "rules" : null, "off"))]);
        await Usage.PublishConfigurationAsync(local);
        await Usage.RecordAsync(new AiCall(AiServices.Local, "rules", "Reason", null, null, 0, 0, 3, 0, true, null, null, null, DateTimeOffset.UtcNow), null);

        var after = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/ai/services");
        var catalog = after.GetProperty("catalog").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(13, catalog.Count);
        Assert.Equal("not_configured", catalog["claude-sonnet"].GetProperty("state").GetString());
        Assert.Contains("AI:Provider=Bedrock", catalog["claude-sonnet"].GetProperty("stateReason").GetString(), StringComparison.Ordinal);
        Assert.Contains("AI:GuardrailId", catalog["guardrails"].GetProperty("stateReason").GetString(), StringComparison.Ordinal);
        Assert.Equal("healthy", catalog["local"].GetProperty("state").GetString());
        Assert.Equal(callsBefore + 1, catalog["local"].GetProperty("allTime").GetProperty("calls").GetInt64());
        var hours = catalog["local"].GetProperty("last24Hours").EnumerateArray().ToList();
        Assert.Equal(24, hours.Count);
        Assert.Equal(hourBefore + 1, hours[^1].GetProperty("calls").GetInt64());
        Assert.Equal("local", after.GetProperty("provider").GetString());
    }

    [Fact]
    public async Task An_incidents_ai_calls_are_listed_in_order_with_their_detail_and_a_total_equal_to_their_sum()
    {
        var incidentId = (await api.PostAsync(ApiFixture.Trigger($"ai-calls-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString()!;
        var at = DateTimeOffset.UtcNow;
        await Usage.RecordAsync(new AiCall(AiServices.BedrockRuntime, "us.amazon.nova-pro-v1:0", "Converse", incidentId, "diagnosis", 1200, 300, 640, 0.00168,
            true, null, "complexity 5.1/10 → nova-pro", null, at), null,
            new AiCallDetail("Alert: card [EMAIL] failed", "[{\"category\":\"bad_deploy\"}]", "local: redacted email ×1", "the diagnosis's hypotheses (top: bad_deploy 0.80)"));
        await Usage.RecordAsync(new AiCall(AiServices.Comprehend, "DetectSentiment", "DetectSentiment", incidentId, "detection", 0, 0, 90, 0.0003,
            true, null, null, null, at.AddMilliseconds(5)), null);
        await Usage.RecordAsync(new AiCall(AiServices.Local, "rules", "Reason", "inc_other", "diagnosis", 0, 0, 2, 0, true, null, null, null, at), null);

        var calls = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/ai/incidents/{incidentId}/calls");

        var list = calls.GetProperty("calls").EnumerateArray().ToList();
        Assert.Equal(2, list.Count);
        Assert.Equal("Converse", list[0].GetProperty("call").GetProperty("operation").GetString());
        Assert.Equal("Alert: card [EMAIL] failed", list[0].GetProperty("prompt").GetString());
        Assert.Equal("local: redacted email ×1", list[0].GetProperty("guardrail").GetString());
        Assert.Equal("urgency from the tone of people's notes", list[1].GetProperty("contribution").GetString());
        Assert.Equal(list.Sum(c => c.GetProperty("call").GetProperty("costUsd").GetDouble()), calls.GetProperty("totalCostUsd").GetDouble(), 9);
        Assert.Equal(0.00198, calls.GetProperty("totalCostUsd").GetDouble(), 9);
        Assert.Equal(1200, calls.GetProperty("inputTokens").GetInt64());

        // The ai.call event on the shared log carries no prompt.
        var events = await new OpsEventLog(api.Redis.Connection).ReadAfterAsync(StreamId.Zero, 10_000);
        Assert.DoesNotContain(events, e => e.Type == Core.Events.EventTypes.AiCall && e.Data.GetRawText().Contains("[EMAIL]", StringComparison.Ordinal));

        using var unknown = await api.Client.GetAsync("/api/v1/ai/incidents/inc_nope/calls");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
