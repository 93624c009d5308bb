using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentOps.Testing;

namespace IncidentOps.Faults.Tests;

/// <summary>The API as the AppHost runs it: the built IncidentOps.Api.dll in a process of its own, on a fixed port.</summary>
public sealed class ApiProcess : IDisposable
{
    public const string EventsToken = "faults-events-token";

    private readonly string _redis;
    private Process? _process;
    private readonly ConcurrentQueue<string> _errors = new();

    public ApiProcess(string redisConnection, int? port = null)
    {
        _redis = redisConnection;
        Port = port ?? Ports.Free();
    }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public async Task StartAsync()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "IncidentOps.Api.dll");
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:redis"] = _redis,
            ["ASPNETCORE_URLS"] = BaseAddress.ToString(),
            ["ASPNETCORE_ENVIRONMENT"] = "Testing",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:Console:LogToStandardErrorThreshold"] = "Warning",
            // Ingest needs no sign-in provider; the authority is only read when a person's token arrives.
            ["Auth:Authority"] = "http://127.0.0.1:9/",
            ["Auth:RequireHttpsMetadata"] = "false",
            ["Cors:AllowedOrigins:0"] = "http://localhost:3000",
            ["Ingest:Tokens:Events"] = EventsToken,
            ["Ingest:Tokens:Alertmanager"] = "faults-alertmanager-token",
            ["Ingest:Tokens:Grafana"] = "faults-grafana-token",
            ["Ingest:Tokens:CloudWatch"] = "faults-cloudwatch-token",
            ["Ingest:CloudWatch:TopicArns:0"] = "arn:aws:sns:eu-west-1:123456789012:faults",
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("The API did not start.");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _errors.Enqueue(line);
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.TrueAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The API exited with {_process.ExitCode}: {string.Join('\n', _errors.TakeLast(20))}");
            }

            try
            {
                using var alive = await http.GetAsync("/alive");
                return alive.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), "the API to answer /alive");
    }

    /// <summary>The process's last lines on stderr (warnings and errors), for a failure's message.</summary>
    public string Errors => string.Join('\n', _errors.TakeLast(60));

    /// <summary>SIGKILL: requests in flight die with the process.</summary>
    public void Kill()
    {
        _process!.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            Kill();
        }

        _process?.Dispose();
    }
}
