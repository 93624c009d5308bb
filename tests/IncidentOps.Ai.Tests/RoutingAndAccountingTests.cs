using IncidentOps.Testing;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Domain;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace IncidentOps.Ai.Tests;

public class HealthRuleTests
{
    private static readonly AiHealthOptions Options = new();

    private static AiUsageFigures Window(long calls, long errors, double? p95 = 100) => new(calls, errors, 0, 0, 0, 50, p95, 0);

    [Fact]
    public void Health_moves_from_healthy_to_degraded_to_down_with_the_error_rate()
    {
        Assert.Equal(AiHealth.Healthy, AiHealthRules.Judge(Window(0, 0), 0, Options).Health);
        Assert.Equal(AiHealth.Healthy, AiHealthRules.Judge(Window(20, 1), 0, Options).Health);
        Assert.Equal(AiHealth.Degraded, AiHealthRules.Judge(Window(20, 3), 0, Options).Health);
        Assert.Equal(AiHealth.Down, AiHealthRules.Judge(Window(20, 10), 1, Options).Health);
        // The same window after a success: recovering, not down.
        Assert.Equal(AiHealth.Degraded, AiHealthRules.Judge(Window(20, 10), 0, Options).Health);
    }

    [Fact]
    public void Slow_p95_degrades_and_failures_in_a_row_mean_down()
    {
        Assert.Equal(AiHealth.Degraded, AiHealthRules.Judge(Window(10, 0, p95: 9000), 0, Options).Health);
        Assert.Equal(AiHealth.Down, AiHealthRules.Judge(Window(1, 1), 3, Options).Health);
        // Too few calls for the rate to be trusted: two errors out of three is not yet "down".
        Assert.Equal(AiHealth.Healthy, AiHealthRules.Judge(Window(3, 2), 2, Options).Health);
    }

    [Fact]
    public void Histogram_percentiles_interpolate_within_buckets()
    {
        var counts = new[] { 100.0, 200, 300, 400, 5000 }.GroupBy(LatencyHistogram.BucketOf).ToDictionary(g => g.Key, g => (long)g.Count());

        var p50 = LatencyHistogram.Percentile(counts, 0.5)!.Value;

        Assert.InRange(p50, 200, 400);
        Assert.Equal(300, LatencyHistogram.Percentile([100.0, 200, 300, 400, 5000], 0.5));
    }
}

[Collection(AiTests.Name)]
public class RoutingAndAccountingTests(AiFixture fixture)
{
    [Fact]
    public async Task Complexity_chooses_the_tier_and_the_budget_caps_it()
    {
        var simple = await fixture.OpenIncidentAsync("disk 80% on batch", severity: "warning", service: "batch");
        var hard = await fixture.OpenIncidentAsync("checkout p99 latency 5s after deploy", severity: "critical");
        var router = fixture.Services().GetRequiredService<ModelRouter>();

        var cheap = await router.RouteAsync(new IncidentAiContext(simple, AgentPhase.Detection), 200);
        var rich = await router.RouteAsync(new IncidentAiContext(hard, AgentPhase.Diagnosis), 7000);

        Assert.Equal("nova-micro", cheap.Candidates[0].Tier);
        Assert.Equal("claude-haiku", rich.Candidates[0].Tier);
        Assert.Equal(["claude-haiku", "nova-pro", "nova-lite", "nova-micro", "claude-sonnet"], rich.Candidates.Select(c => c.Tier));
        Assert.Contains("complexity", rich.Reason, StringComparison.Ordinal);

        var broke = await fixture.Services(("AI:Routing:HourlyBudgetUsd", "0.000001")).GetRequiredService<ModelRouter>()
            .RouteAsync(new IncidentAiContext(hard, AgentPhase.Diagnosis), 7000);
        if (await fixture.Services().GetRequiredService<AiUsageStore>().SpendLastHourAsync() > 0.000001)
        {
            Assert.Equal("nova-micro", broke.Candidates[0].Tier);
            Assert.Contains("over budget", broke.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Cost_tokens_and_latency_add_up_across_calls()
    {
        var services = fixture.Services();
        var accounting = services.GetRequiredService<AiAccounting>();
        var store = services.GetRequiredService<AiUsageStore>();
        const string model = "us.amazon.nova-micro-v1:0";
        await fixture.Redis.Db.KeyDeleteAsync([(RedisKey)Core.Storage.RedisKeys.AiTotals("test-accounting", model)]);

        foreach (var latency in new[] { 100.0, 200, 300, 400, 1000 })
        {
            await accounting.RecordAsync(new AiCallFacts("test-accounting", model, "Converse", null, 1000, 500, LatencyMs: latency), accounting.Start());
        }

        await accounting.RecordAsync(new AiCallFacts("test-accounting", model, "Converse", null, Error: "ThrottlingException: slow down", LatencyMs: 50), accounting.Start());

        var report = await store.ReportAsync();
        var usage = report.Services.Single(s => s.Service == "test-accounting").Models.Single();
        Assert.Equal(6, usage.AllTime.Calls);
        Assert.Equal(1, usage.AllTime.Errors);
        Assert.Equal(5000, usage.AllTime.InputTokens);
        Assert.Equal(2500, usage.AllTime.OutputTokens);
        // nova-micro: 5 × (1000/1000 × 0.000035 + 500/1000 × 0.00014) = 5 × 0.000105
        Assert.Equal(0.000525, usage.AllTime.CostUsd, 9);
        Assert.Equal(usage.AllTime.CostUsd, usage.LastHour.CostUsd, 9);
        Assert.Equal(250, usage.LastHour.LatencyP50Ms);
        // Six samples (the failed call counts too: 50 ms): p95 sits 0.75 of the way from 400 to 1000.
        Assert.Equal(850, usage.LastHour.LatencyP95Ms);
        Assert.Equal("ThrottlingException: slow down", usage.LastError);
        // One error in six calls is over the 10% degraded threshold (and six calls are enough to trust the rate).
        Assert.Equal(AiHealth.Degraded, usage.Health);
        Assert.Contains("error rate", usage.HealthReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_throttled_model_falls_back_to_the_next_tier_and_the_fallback_is_recorded()
    {
        var incident = await fixture.OpenIncidentAsync("payments 5xx error rate 20% after deploy of v9.1", service: "payments-fallback");
        var services = fixture.Services([("AI:Routing:HourlyBudgetUsd", "1000"), .. AiFixture.OwnModels("throttled")]);
        var ai = services.GetRequiredService<IncidentAi>();
        var chosen = (await services.GetRequiredService<ModelRouter>().RouteAsync(new IncidentAiContext(incident, AgentPhase.Diagnosis), 1)).Candidates;
        var throttled = Uri.EscapeDataString(chosen[0].Model);
        fixture.Aws.Respond = r => r.Path.Contains($"/model/{throttled}/", StringComparison.Ordinal)
            ? FakeResponse.Error(429, "ThrottlingException", "Too many tokens, please wait before trying again.")
            : FakeResponse.Ok(ConverseShapes.ToolUse(ConverseShapes.Hypotheses));

        var reasoning = await ai.ReasonAsync(new IncidentAiContext(incident, AgentPhase.Diagnosis), CancellationToken.None);

        Assert.Equal("bedrock", reasoning.Engine);
        Assert.Equal(chosen[1].Model, reasoning.Model);
        Assert.Contains("ThrottlingException", reasoning.RouteReason, StringComparison.Ordinal);
        Assert.Equal("bad_deploy", reasoning.Hypotheses[0].Category);
        var report = await services.GetRequiredService<AiUsageStore>().ReportAsync();
        var route = report.RecentRoutes.First(r => r.IncidentId == incident.Id && r.FallbackFrom is not null);
        Assert.Equal(chosen[0].Model, route.FallbackFrom);
        Assert.Equal(chosen[1].Model, route.Model);
        Assert.True(report.Services.Single(s => s.Service == AiServices.BedrockRuntime).Models.Single(m => m.Model == chosen[0].Model).AllTime.Errors >= 1);
    }

    [Fact]
    public async Task Every_model_failing_falls_back_to_the_local_engine_in_the_same_shape()
    {
        var incident = await fixture.OpenIncidentAsync("orders DB connection refused", service: "orders-allfail");
        var ai = fixture.Services(AiFixture.OwnModels("allfail")).GetRequiredService<IncidentAi>();
        fixture.Aws.Respond = _ => FakeResponse.Error(503, "ServiceUnavailableException", "Bedrock is unavailable.");

        var reasoning = await ai.ReasonAsync(new IncidentAiContext(incident, AgentPhase.Diagnosis), CancellationToken.None);

        Assert.Equal("local", reasoning.Engine);
        // The answer is the local engine's own, as configured without any model.
        var local = await fixture.Services(("AI:Provider", "Local")).GetRequiredService<IncidentAi>()
            .ReasonAsync(new IncidentAiContext(incident, AgentPhase.Diagnosis), CancellationToken.None);
        Assert.Equal(local.Hypotheses.Select(h => (h.Category, h.Confidence)), reasoning.Hypotheses.Select(h => (h.Category, h.Confidence)));
        Assert.Contains("every model failed", reasoning.RouteReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_model_that_is_down_is_skipped_without_a_call_and_the_skip_is_recorded()
    {
        var incident = await fixture.OpenIncidentAsync("inventory 5xx error rate 30%", service: "inventory-down");
        var services = fixture.Services([("AI:Routing:HourlyBudgetUsd", "1000"), .. AiFixture.OwnModels("down")]);
        var context = new IncidentAiContext(incident, AgentPhase.Diagnosis);
        var chosen = (await services.GetRequiredService<ModelRouter>().RouteAsync(context, 1)).Candidates;
        var accounting = services.GetRequiredService<AiAccounting>();
        for (var i = 0; i < 3; i++)
        {
            await accounting.RecordAsync(new AiCallFacts(AiServices.BedrockRuntime, chosen[0].Model, "Converse", context, Error: "ThrottlingException: slow down"), accounting.Start());
        }

        Assert.Equal(AiHealth.Down, (await services.GetRequiredService<AiUsageStore>().HealthOfAsync(AiServices.BedrockRuntime, chosen[0].Model)).Health);
        fixture.Aws.Respond = _ => FakeResponse.Ok(ConverseShapes.ToolUse(ConverseShapes.Hypotheses));
        var before = fixture.Aws.Requests.Count;

        var reasoning = await services.GetRequiredService<IncidentAi>().ReasonAsync(context, CancellationToken.None);

        Assert.Equal(chosen[1].Model, reasoning.Model);
        Assert.DoesNotContain(fixture.Aws.Requests.Skip(before), r => r.Path.Contains(Uri.EscapeDataString(chosen[0].Model), StringComparison.Ordinal));
        Assert.Contains(reasoning.Notes, n => n.Contains("skipped: down", StringComparison.Ordinal));
        Assert.Contains("3 failures in a row", reasoning.RouteReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_down_model_is_probed_again_after_a_while_and_recovers_on_success()
    {
        var incident = await fixture.OpenIncidentAsync("inventory 5xx error rate 30%", service: "inventory-probe");
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var services = fixture.Services(clock, [("AI:Routing:HourlyBudgetUsd", "1000"), ("AI:Health:ProbeDownAfterSeconds", "60"), .. AiFixture.OwnModels("probe")]);
        var context = new IncidentAiContext(incident, AgentPhase.Diagnosis);
        var chosen = (await services.GetRequiredService<ModelRouter>().RouteAsync(context, 1)).Candidates;
        var accounting = services.GetRequiredService<AiAccounting>();
        var store = services.GetRequiredService<AiUsageStore>();
        for (var i = 0; i < 3; i++)
        {
            await accounting.RecordAsync(new AiCallFacts(AiServices.BedrockRuntime, chosen[0].Model, "Converse", context, Error: "ThrottlingException: slow down"), accounting.Start());
        }

        Assert.True((await store.ShouldSkipAsync(AiServices.BedrockRuntime, chosen[0].Model)).Skip);
        clock.Now += TimeSpan.FromSeconds(61);
        fixture.Aws.Respond = _ => FakeResponse.Ok(ConverseShapes.ToolUse(ConverseShapes.Hypotheses));

        var reasoning = await services.GetRequiredService<IncidentAi>().ReasonAsync(context, CancellationToken.None);

        Assert.Equal(chosen[0].Model, reasoning.Model);
        Assert.NotEqual(AiHealth.Down, (await store.HealthOfAsync(AiServices.BedrockRuntime, chosen[0].Model)).Health);
    }

    [Fact]
    public async Task Once_the_probe_time_comes_only_one_caller_probes_a_down_model()
    {
        var incident = await fixture.OpenIncidentAsync("inventory 5xx error rate 31%", service: "inventory-one-probe");
        var clock = new TestClock(DateTimeOffset.UtcNow);
        var services = fixture.Services(clock, [("AI:Health:ProbeDownAfterSeconds", "60"), .. AiFixture.OwnModels("one-probe")]);
        var context = new IncidentAiContext(incident, AgentPhase.Diagnosis);
        var model = (await services.GetRequiredService<ModelRouter>().RouteAsync(context, 1)).Candidates[0].Model;
        var accounting = services.GetRequiredService<AiAccounting>();
        var store = services.GetRequiredService<AiUsageStore>();
        for (var i = 0; i < 3; i++)
        {
            await accounting.RecordAsync(new AiCallFacts(AiServices.BedrockRuntime, model, "Converse", context, Error: "ServiceUnavailableException"), accounting.Start());
        }

        clock.Now += TimeSpan.FromSeconds(61);
        var decisions = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.ShouldSkipAsync(AiServices.BedrockRuntime, model)));

        Assert.Single(decisions, d => !d.Skip);
        Assert.All(decisions.Where(d => d.Skip), d => Assert.Contains("another caller is probing", d.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_model_answer_that_is_not_the_requested_structure_counts_as_a_failure_and_falls_back()
    {
        var incident = await fixture.OpenIncidentAsync("orders disk full on /var/lib/postgresql", service: "orders-prose");
        var services = fixture.Services([("AI:Routing:HourlyBudgetUsd", "1000"), .. AiFixture.OwnModels("prose")]);
        fixture.Aws.Respond = _ => FakeResponse.Ok("""
            {"output":{"message":{"role":"assistant","content":[{"text":"I think the disk is full."}]}},"stopReason":"end_turn",
             "usage":{"inputTokens":300,"outputTokens":9,"totalTokens":309},"metrics":{"latencyMs":200}}
            """);

        var reasoning = await services.GetRequiredService<IncidentAi>().ReasonAsync(new IncidentAiContext(incident, AgentPhase.Diagnosis), CancellationToken.None);

        Assert.Equal(("local", "disk_full"), (reasoning.Engine, reasoning.Hypotheses[0].Category));
        Assert.Contains("not the requested JSON", reasoning.RouteReason, StringComparison.Ordinal);
    }
}
