extern alias smoke;

using System.Diagnostics;
using smoke::IncidentOps.AwsSmoke;

namespace IncidentOps.Ai.Tests;

/// <summary>scripts/aws-smoke.sh without credentials, and the smoke run itself against the fake AWS endpoint.</summary>
[Collection(AiTests.Name)]
public class AwsSmokeTests(AiFixture fixture)
{
    [Fact]
    public async Task Without_credentials_the_script_says_so_and_exits_0()
    {
        var root = RepositoryRoot();
        var home = Directory.CreateTempSubdirectory("aws-smoke-home");
        var start = new ProcessStartInfo("bash", [Path.Combine(root, "scripts", "aws-smoke.sh")]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["HOME"] = home.FullName;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await stderr}");
        Assert.Equal(SmokeRun.NoCredentials, (await stdout).Trim());
        home.Delete(recursive: true);
    }

    [Fact]
    public async Task The_smoke_run_calls_each_configured_service_once_and_prints_what_came_back_and_its_cost()
    {
        var services = fixture.Services(
            ("AI:GuardrailId", "gr-smoke"), ("AI:KnowledgeBaseId", "KBSMOKE"), ("AI:AgentId", "AGSMOKE"), ("AI:AgentAliasId", "ALSMOKE"),
            ("AI:QBusinessApplicationId", "app-smoke"), ("AI:UseComprehend", "true"), ("AI:UseTextract", "true"),
            ("AI:Models:NovaMicro", "smoke.nova-micro-v1:0"), ("AI:Prices:textract:PerRequest", "0.0015"));
        fixture.Aws.Respond = r => r switch
        {
            { Path: var p } when p.EndsWith("/converse", StringComparison.Ordinal) => FakeResponse.Ok(ConverseShapes.ToolUse("""{"word":"ok"}""", 12, 2, "end_turn")),
            { Path: var p } when p.EndsWith("/apply", StringComparison.Ordinal) => FakeResponse.Ok(AwsShapes.GuardrailIntervention),
            { Path: var p } when p.EndsWith("/retrieve", StringComparison.Ordinal) => FakeResponse.Ok(AwsShapes.Retrieval),
            { Path: var p } when p.EndsWith("/text", StringComparison.Ordinal) => new FakeResponse(200, Bytes: AwsShapes.AgentAnswer("ok")),
            { Path: var p } when p.Contains("/conversations?sync", StringComparison.Ordinal) => FakeResponse.Ok(AwsShapes.ChatSyncAnswer),
            { Target: "Comprehend_20171127.DetectSentiment" } => FakeResponse.Ok(AwsShapes.Sentiment),
            { Target: "Comprehend_20171127.DetectPiiEntities" } => FakeResponse.Ok(AwsShapes.PiiEntities),
            _ => FakeResponse.Json11Error(400, "AccessDeniedException", "User is not authorized to perform: textract:DetectDocumentText"),
        };
        var output = new StringWriter();

        var (exit, requests) = await Conformance.SdkConformance.RecordAsync(fixture.Aws, () => new SmokeRun(services, output).RunAsync(CancellationToken.None));

        var text = output.ToString();
        Assert.Equal(1, exit);
        Assert.Equal(8, requests.Count);
        Assert.All(requests, r => Assert.Null(r.SignatureError));
        Assert.Contains("ok   bedrock-runtime", text, StringComparison.Ordinal);
        Assert.Contains("(12 in, 2 out tokens, stop end_turn)", text, StringComparison.Ordinal);
        Assert.Contains("$0.000001  ", text, StringComparison.Ordinal);
        Assert.Contains("intervened, 3 text units", text, StringComparison.Ordinal);
        Assert.Contains("top passage s3://runbooks/failed-deploy.md (score 0.71)", text, StringComparison.Ordinal);
        Assert.Contains("Negative (-0.94)", text, StringComparison.Ordinal);
        Assert.Contains("NAME, EMAIL", text, StringComparison.Ordinal);
        Assert.Contains("FAIL textract", text, StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException: User is not authorized", text, StringComparison.Ordinal);
        Assert.Contains("aws-smoke: 7 of 8 calls answered", text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAws.Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(FakeAws.AccessKey, text, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IncidentOps.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("IncidentOps.sln not found above the test folder");
    }
}
