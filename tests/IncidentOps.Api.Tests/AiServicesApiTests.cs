using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

/// <summary>The AI figures the agents record (in Redis, from any replica) as the API serves them.</summary>
public class AiServicesApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Usage_cost_routing_and_health_recorded_by_the_agents_appear_at_the_api()
    {
        var usage = new AiUsageStore(api.Redis.Connection, new OpsEventLog(api.Redis.Connection), Options.Create(new AiHealthOptions()), TimeProvider.System);
        var now = DateTimeOffset.UtcNow;
        await usage.RecordAsync(new AiCall(AiServices.BedrockRuntime, "us.amazon.nova-pro-v1:0", "Converse", "inc_1", "diagnosis", 1000, 200, 420, 0.00144,
            true, null, "complexity 4.7/10 → nova-pro", null, now), traceparent: null);
        await usage.RecordAsync(new AiCall(AiServices.BedrockRuntime, "us.amazon.nova-lite-v1:0", "Converse", "inc_2", "diagnosis", 500, 100, 300, 0.000054,
            true, null, "fallback to nova-lite", "us.amazon.nova-pro-v1:0", now), traceparent: null);
        await usage.RecordAsync(new AiCall(AiServices.Comprehend, "DetectSentiment", "DetectSentiment", null, null, 0, 0, 80, 0.0003,
            false, "AccessDeniedException: not authorized", null, null, now), traceparent: null);

        var report = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/ai/services");

        var runtime = report.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == AiServices.BedrockRuntime);
        Assert.Equal(2, runtime.GetProperty("allTime").GetProperty("calls").GetInt64());
        Assert.Equal(1500, runtime.GetProperty("lastHour").GetProperty("inputTokens").GetInt64());
        Assert.Equal(0.001494, runtime.GetProperty("allTime").GetProperty("costUsd").GetDouble(), 9);
        Assert.Equal(1, runtime.GetProperty("allTime").GetProperty("fallbacks").GetInt64());
        Assert.Equal("healthy", runtime.GetProperty("health").GetString());
        Assert.Equal(2, runtime.GetProperty("models").GetArrayLength());
        Assert.Contains(report.GetProperty("recentRoutes").EnumerateArray(), r => r.GetProperty("fallbackFrom").GetString() == "us.amazon.nova-pro-v1:0");
        Assert.Contains("health over the last 5 min", report.GetProperty("definitions").GetString(), StringComparison.Ordinal);
        var comprehend = report.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == AiServices.Comprehend);
        Assert.Equal("AccessDeniedException: not authorized", comprehend.GetProperty("models")[0].GetProperty("lastError").GetString());

        var health = await api.Client.GetFromJsonAsync<JsonElement>("/dashboard/health/detailed");
        Assert.Contains(health.GetProperty("aiServices").EnumerateArray(), s => s.GetProperty("service").GetString() == AiServices.BedrockRuntime && s.GetProperty("health").GetString() == "healthy");

        var events = await new OpsEventLog(api.Redis.Connection).ReadAfterAsync(StreamId.Zero, 10_000);
        Assert.Equal(3, events.Count(e => e.Type == Core.Events.EventTypes.AiCall));
    }
}
