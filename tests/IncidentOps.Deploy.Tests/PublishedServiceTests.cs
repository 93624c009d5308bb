using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using IncidentOps.Testing;

namespace IncidentOps.Deploy.Tests;

/// <summary>
/// Each service's published output (what its container image holds) started the way ECS starts it: the entry point
/// run directly, with the environment of its synthesized task definition, the secrets given local values and Redis a
/// local redis-server. It must answer /health. (No container runtime here; the image's layers are that output.)
/// </summary>
[Collection(SynthCollection.Name)]
public sealed class PublishedServiceTests(SynthFixture fixture) : IAsyncLifetime
{
    private readonly RedisServer _redis = new();
    private readonly DirectoryInfo _publish = Directory.CreateTempSubdirectory("incidentops-publish-");

    public Task InitializeAsync() => _redis.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _redis.DisposeAsync();
        _publish.Delete(recursive: true);
    }

    [Theory]
    [InlineData("api", "IncidentOps.Api", "/dashboard/health")]
    // The API's image in the hub role: it starts in Production with no ingest tokens (intake is not its job).
    [InlineData("hub", "IncidentOps.Api", "/dashboard/health")]
    [InlineData("agents", "IncidentOps.Agents", "/health")]
    [InlineData("metrics", "IncidentOps.Metrics", "/health")]
    public async Task The_published_service_starts_with_its_task_environment_and_answers_health(string service, string project, string healthPath)
    {
        var output = Path.Combine(_publish.FullName, service);
        var publish = await Repo.RunAsync("dotnet", ["publish", Repo.PathOf(project), "-c", Repo.Configuration, "--no-build", "-o", output, "-nologo"], TimeSpan.FromMinutes(3));
        Assert.True(publish.ExitCode == 0, publish.All);

        var port = Ports.Free();
        var environment = TaskEnvironment(service);
        environment["HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        environment["ASPNETCORE_URLS"] = null;
        environment["DOTNET_ENVIRONMENT"] = null;
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = null; // no collector beside it here

        using var process = Start(Path.Combine(output, project + ".dll"), output, environment, out var log);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.TrueAsync(async () =>
            {
                if (process.HasExited)
                {
                    // The log is read under the lock its writers take: an interpolated message is built on every poll and
                    // raced the service's output (a StringBuilder read while appended throws).
                    lock (log)
                    {
                        Assert.Fail($"{service} exited ({process.ExitCode}): {log}");
                    }
                }

                try
                {
                    return (await http.GetAsync(healthPath)).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), $"{service} to answer {healthPath}");

            Assert.Equal(System.Net.HttpStatusCode.OK, (await http.GetAsync("/health")).StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>The app container's plain variables from the template; secrets and deploy-time values made local.</summary>
    private Dictionary<string, string?> TaskEnvironment(string service)
    {
        var container = fixture.Default.Resources("AWS::ECS::TaskDefinition")
            .Single(t => (string?)t.Resource["Properties"]!["Family"] == $"incidentops-{service}")
            .Resource["Properties"]!["ContainerDefinitions"]!.AsArray()
            .Single(c => (string?)c!["Name"] == service)!;

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in container["Environment"]!.AsArray())
        {
            // Values CloudFormation fills in at deploy time (the CloudFront URL, the Cognito issuer) get stand-ins.
            var name = (string)variable!["Name"]!;
            environment[name] = variable["Value"] is JsonValue value && value.TryGetValue<string>(out var text)
                ? text
                : name.Contains("TopicArns", StringComparison.Ordinal) ? "arn:aws:sns:us-east-1:123456789012:incidentops-alarms" : "https://deploy-time.example";
        }

        foreach (var secret in container["Secrets"]?.AsArray() ?? [])
        {
            var name = (string)secret!["Name"]!;
            environment[name] = name == "ConnectionStrings__redis" ? _redis.ConnectionString : $"local-{name.Split("__").Last().ToLowerInvariant()}-token";
        }

        Assert.Contains("ConnectionStrings__redis", environment.Keys);
        return environment;
    }

    private static Process Start(string dll, string workingDirectory, Dictionary<string, string?> environment, out StringBuilder log)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{dll} did not start.");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        log = output;
        return process;
    }
}
