using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using IncidentOps.Testing;
using Xunit.Abstractions;

namespace IncidentOps.EndToEnd.Tests;

/// <summary>The real Prometheus Alertmanager binary, its webhook receiver pointed at the running API.</summary>
[Collection(WholeSystem.Name)]
public sealed class RealAlertmanagerTests(SystemFixture system, ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private readonly string _directory = Directory.CreateTempSubdirectory("incidentops-alertmanager-").FullName;
    private readonly HttpClient _alertmanager = new();
    private Process? _process;

    public async Task InitializeAsync()
    {
        var port = Ports.Free();
        var webhook = new Uri(system.ApiUrl, "/api/v1/alerts/alertmanager");
        await File.WriteAllTextAsync(Path.Combine(_directory, "alertmanager.yml"), $"""
            route:
              receiver: incidentops
              group_by: ['alertname', 'service']
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: incidentops
                webhook_configs:
                  - url: {webhook}
                    send_resolved: true
                    http_config:
                      authorization:
                        credentials: {SystemFixture.DevelopmentIngestToken}
            """);
        var start = new ProcessStartInfo("prometheus-alertmanager")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                $"--config.file={Path.Combine(_directory, "alertmanager.yml")}",
                $"--storage.path={_directory}",
                $"--web.listen-address=127.0.0.1:{port}",
                "--cluster.listen-address=",
            },
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("prometheus-alertmanager did not start (apt-get install prometheus-alertmanager; scripts/install-prereqs.sh does).");
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _alertmanager.BaseAddress = new Uri($"http://127.0.0.1:{port}");
        await Eventually.TrueAsync(async () =>
        {
            try
            {
                return (await _alertmanager.GetAsync("/-/ready")).StatusCode == HttpStatusCode.OK;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, Deadline, "Alertmanager to be ready");
    }

    public async Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose() => _alertmanager.Dispose();

    [Fact]
    public async Task Alerts_posted_to_alertmanager_arrive_as_one_grouped_incident_that_is_mitigated_when_they_resolve_there()
    {
        var service = $"am-e2e-{Guid.NewGuid():N}"[..16];
        var startsAt = DateTimeOffset.UtcNow.AddMinutes(-1);
        object Alert(string instance, DateTimeOffset? endsAt) => new
        {
            labels = new { alertname = "HighErrorRate", service, severity = "critical", instance },
            annotations = new { summary = $"5xx above 5% on {service} ({instance})" },
            startsAt,
            endsAt,
        };

        using (var post = await _alertmanager.PostAsJsonAsync("/api/v2/alerts", new[] { Alert("a:9090", null), Alert("b:9090", null) }))
        {
            Assert.Equal(HttpStatusCode.OK, post.StatusCode);
        }

        var incident = await Eventually.ResultAsync(async () =>
        {
            var list = await system.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?status=all&service={service}");
            var item = list.GetProperty("items").EnumerateArray().Single();
            return item.GetProperty("alertCount").GetInt32() == 2 ? item : throw new InvalidOperationException("not both alerts yet");
        }, Deadline, "one incident with both alerts");
        var id = incident.GetProperty("id").GetString();

        var now = DateTimeOffset.UtcNow;
        using (var resolve = await _alertmanager.PostAsJsonAsync("/api/v2/alerts", new[] { Alert("a:9090", now), Alert("b:9090", now) }))
        {
            Assert.Equal(HttpStatusCode.OK, resolve.StatusCode);
        }

        await Eventually.TrueAsync(async () =>
        {
            var detail = await system.Viewer.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
            return detail.GetProperty("incident").GetProperty("status").GetString() == "mitigated";
        }, Deadline, "the incident to be mitigated");
    }

    private void Log(string? line)
    {
        if (line is not null)
        {
            try
            {
                output.WriteLine(line);
            }
            catch (InvalidOperationException)
            {
                // The test already finished.
            }
        }
    }
}
