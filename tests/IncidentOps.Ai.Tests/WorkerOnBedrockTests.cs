extern alias api;

using api::IncidentOps.Api.Apis;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Core;
using IncidentOps.Core.Ai;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Ai.Tests;

/// <summary>
/// The done-when, on the real agents worker: configured only by settings (<c>AI:Provider=Bedrock</c>, endpoints on
/// the fake), an incident that arrives on <c>agents:work</c> is diagnosed through Bedrock, and the usage, cost and
/// routing figures appear at the API.
/// </summary>
[Collection(AiTests.Name)]
public sealed class WorkerOnBedrockTests(AiFixture fixture) : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task The_real_worker_runs_the_pipeline_through_Bedrock_when_configured_and_the_figures_reach_the_api()
    {
        fixture.Aws.Respond = r => r.Path.EndsWith("/converse", StringComparison.Ordinal)
            ? FakeResponse.Ok(ConverseShapes.ToolUse(ConverseShapes.Hypotheses))
            : FakeResponse.Error(404, "UnknownOperationException", r.Path);
        await using var worker = StartWorker("worker");
        var incident = await OpenAsync("checkout p99 latency 4s since deploy of v2.3.1");
        var store = new IncidentStore(_redis.Connection);

        var runs = await Eventually.ResultAsync(async () =>
        {
            var r = await store.GetRunsAsync(incident);
            return r.TryGetValue(AgentPhase.Resolution, out var resolution) && resolution.State == AgentState.Completed ? r : throw new InvalidOperationException("not yet");
        }, TimeSpan.FromSeconds(30), "the worker to finish the incident");

        var diagnosis = runs[AgentPhase.Diagnosis].Result!.Value;
        Assert.StartsWith("bedrock:", diagnosis.GetProperty("engine").GetString(), StringComparison.Ordinal);
        Assert.Equal("bad_deploy", diagnosis.GetProperty("hypotheses")[0].GetProperty("category").GetString());
        var usage = new AiUsageStore(_redis.Connection, new OpsEventLog(_redis.Connection), Microsoft.Extensions.Options.Options.Create(new AiHealthOptions()), TimeProvider.System);
        var report = (await AiApi.Services(usage)).Value!;
        var runtime = report.Services.Single(s => s.Service == AiServices.BedrockRuntime);
        Assert.Equal(1, runtime.AllTime.Calls);
        Assert.Equal(812, runtime.AllTime.InputTokens);
        Assert.True(runtime.AllTime.CostUsd > 0);
        Assert.Contains(report.RecentRoutes, r => r.IncidentId == incident && r.Reason.Contains("complexity", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_attached_pdf_is_read_by_Textract_on_the_worker_and_the_diagnosis_runs_again()
    {
        fixture.Aws.Respond = r => r switch
        {
            { Target: "Textract.DetectDocumentText" } => FakeResponse.Ok(
                """{"DocumentMetadata":{"Pages":1},"Blocks":[{"BlockType":"LINE","Text":"ERROR: deadlock detected"},{"BlockType":"LINE","Text":"87 sessions waiting on locks"}]}"""),
            { Path: var path } when path.EndsWith("/converse", StringComparison.Ordinal) => FakeResponse.Ok(ConverseShapes.ToolUse(ConverseShapes.Hypotheses)),
            _ => FakeResponse.Error(404, "UnknownOperationException", r.Path),
        };
        await using var worker = StartWorker("worker-textract", ("AI:Endpoints:Textract", fixture.Aws.Url), ("AI:UseTextract", "true"));
        var incident = await OpenAsync("orders api requests timing out");
        var store = new IncidentStore(_redis.Connection);
        await Eventually.TrueAsync(async () => (await store.GetRunsAsync(incident)).Values.Count(r => r.State == AgentState.Completed) == 4, TimeSpan.FromSeconds(30), "the first analysis");
        var attachments = new AttachmentStore(_redis.Connection, new OpsEventLog(_redis.Connection), TimeProvider.System);

        var before = fixture.Aws.Requests.Count;
        var added = await attachments.AddAsync(incident, "db-console.pdf", "application/pdf", "%PDF-1.4 fake"u8.ToArray(), "maria", null);

        var read = await Eventually.ValueAsync(async () => await attachments.GetAsync(incident, added.Id) is { ExtractedAt: not null } a ? a : null, TimeSpan.FromSeconds(30), "Textract to read the PDF");
        Assert.Equal(("textract", "ERROR: deadlock detected\n87 sessions waiting on locks"), (read.Engine, read.Text));
        await Eventually.TrueAsync(async () => (await store.GetRunsAsync(incident))[AgentPhase.Diagnosis] is { State: AgentState.Completed, Attempt: 2 }, TimeSpan.FromSeconds(30), "the diagnosis redone");
        Assert.Single(fixture.Aws.Requests.Skip(before), r => r.Target == "Textract.DetectDocumentText" && r.SignatureError is null);
        var usage = new AiUsageStore(_redis.Connection, new OpsEventLog(_redis.Connection), Microsoft.Extensions.Options.Options.Create(new AiHealthOptions()), TimeProvider.System);
        Assert.Contains((await AiApi.Services(usage)).Value!.Services, s => s.Service == AiServices.Textract && s.AllTime.Calls == 1);
    }

    /// <summary>The real agents worker on the Bedrock path, its AWS endpoints on the fake, its models this test's own.</summary>
    private WebApplicationFactory<Program> StartWorker(string modelTag, params (string Key, string Value)[] settings)
    {
        var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing")
                .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", _redis.ConnectionString)
                .UseSetting("AI:Provider", "Bedrock")
                .UseSetting("AI:Region", FakeAws.Region)
                .UseSetting("AI:Endpoints:BedrockRuntime", fixture.Aws.Url)
                .UseSetting("AI:UseComprehend", "false")
                .UseSetting("AI:Routing:HourlyBudgetUsd", "1000")
                .UseSetting("AI:RetryBaseDelayMs", "20");
            foreach (var (key, value) in AiFixture.OwnModels(modelTag).Concat(settings))
            {
                web.UseSetting(key, value);
            }

            web.ConfigureTestServices(services => services.AddSingleton<AwsCredentialSource, TestCredentials>());
        });
        _ = worker.Server;
        return worker;
    }

    private Task<string> OpenAsync(string summary) =>
        TestIncidents.OpenAsync(new IncidentStore(_redis.Connection), summary, service: "checkout-worker");
}
