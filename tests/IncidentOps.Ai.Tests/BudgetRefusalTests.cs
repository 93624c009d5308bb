using IncidentOps.Agents.Ai;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Domain;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Ai.Tests;

/// <summary>A spent hourly budget stops paid calls (every service, not only model choice): the local engine answers and says why.</summary>
[Collection(AiTests.Name)]
public class BudgetRefusalTests(AiFixture fixture)
{
    private static readonly byte[] Pdf = "%PDF-1.7 page"u8.ToArray();

    /// <summary>Every paid service configured, on models of this test's own, with the given hourly budget.</summary>
    private IncidentAi Ai(string budget) => fixture.Services(
    [
        ("AI:Provider", "Bedrock"), ("AI:Routing:HourlyBudgetUsd", budget), ("AI:UseComprehend", "true"), ("AI:UseTextract", "true"),
        ("AI:GuardrailId", "gr-budget"), ("AI:KnowledgeBaseId", "KBBUDGET"), ("AI:QBusinessApplicationId", "qb-budget"),
        ("AI:AgentId", "AGBUDGET"), ("AI:AgentAliasId", "ALBUDGET"), .. AiFixture.OwnModels("budget"),
    ]).GetRequiredService<IncidentAi>();

    [Fact]
    public async Task With_the_budget_spent_no_paid_call_goes_out_and_the_local_engine_answers_with_the_reason()
    {
        var incident = await fixture.OpenIncidentAsync("checkout 5xx after deploy", service: "checkout-budget");
        var context = new IncidentAiContext(incident, AgentPhase.Diagnosis);
        fixture.Aws.Respond = _ => FakeResponse.Error(500, "InternalServerException", "not scripted");

        // The same calls within budget do reach AWS: the refusal below is the budget's doing, not the setup's.
        var before = fixture.Aws.Requests.Count;
        await Ai("1000").ExtractTextAsync(Pdf, "application/pdf", context, CancellationToken.None);
        Assert.True(fixture.Aws.Requests.Count > before, "within budget, Textract is called");

        // Spend: one recorded Nova Pro call costs more than the tiny budget below.
        var accounting = fixture.Services(AiFixture.OwnModels("budget")).GetRequiredService<AiAccounting>();
        await accounting.RecordAsync(new AiCallFacts(AiServices.BedrockRuntime, "budget.nova-pro-v1:0", "Converse", context, 10_000, 1_000), accounting.Start());
        var ai = Ai("0.001");
        before = fixture.Aws.Requests.Count;

        var reasoning = await ai.ReasonAsync(context, CancellationToken.None);
        var guarded = await ai.GuardAsync("call me on +44 20 7946 0958", context, CancellationToken.None);
        var sentiment = await ai.SentimentAsync("customers are furious, this is urgent", context, CancellationToken.None);
        var text = await ai.ExtractTextAsync(Pdf, "application/pdf", context, CancellationToken.None);
        var retrieval = await ai.RetrieveAsync("checkout 5xx after deploy", context, CancellationToken.None);
        var answer = await ai.AskAsync("how do I roll back checkout?", context, CancellationToken.None);
        await ai.RememberAsync(context, "bad_deploy", "rolled back", CancellationToken.None);
        await ai.RecallAsync(context, CancellationToken.None);

        Assert.Equal(before, fixture.Aws.Requests.Count);
        Assert.Equal(("local", "rules"), (reasoning.Engine, reasoning.Model));
        Assert.Contains(reasoning.Notes, n => n.Contains(IncidentAi.BudgetRefusal, StringComparison.Ordinal));
        Assert.Equal("local", guarded.Engine);
        Assert.Equal("local", sentiment.Engine);
        Assert.StartsWith("local: textract " + IncidentAi.BudgetRefusal, text.Engine, StringComparison.Ordinal);
        Assert.NotEqual("bedrock-knowledge-bases", retrieval.Engine);
        Assert.NotEqual("q-business", answer.Engine);
        var usage = await fixture.Services().GetRequiredService<AiUsageStore>().ReportAsync();
        Assert.Contains(usage.Services, s => s.Service == AiServices.Local);
    }
}
