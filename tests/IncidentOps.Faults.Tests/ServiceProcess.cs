using System.Collections.Concurrent;
using System.Diagnostics;
using IncidentOps.Testing;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// A worker service (the agents or metrics worker) as the AppHost runs it: its built dll from its own output folder
/// (with its own appsettings.json), in a process of its own, so a test can SIGKILL it and start another.
/// </summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _errors = new();

    private ServiceProcess(Process process)
    {
        _process = process;
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
    }

    public int Id => _process.Id;

    /// <summary>Its name in the consumer groups (machine and process id), as the workers name themselves.</summary>
    public string Consumer => $"{Environment.MachineName}-{_process.Id}";

    /// <summary>The process's last lines on stderr, for a failure's message.</summary>
    public string Errors => string.Join('\n', _errors.TakeLast(40));

    /// <summary>Starts <paramref name="project"/> (e.g. <c>IncidentOps.Agents</c>) against this Redis with these settings.</summary>
    public static ServiceProcess Start(string project, string redisConnection, params (string Key, string Value)[] settings)
    {
        var dll = BuiltDll(project);
        var info = new ProcessStartInfo("dotnet", [dll])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        info.Environment["ConnectionStrings__redis"] = redisConnection;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        info.Environment["Logging__Console__LogToStandardErrorThreshold"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new ServiceProcess(Process.Start(info) ?? throw new InvalidOperationException($"{project} did not start."));
    }

    /// <summary>SIGKILL (once; again is a no-op): no shutdown, no acknowledgements, no outcome recorded; leases are left to expire.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
    }

    /// <summary>SIGSTOP: the process stops running (its sockets stay open) until <see cref="Resume"/>.</summary>
    public void Pause() => Signals.Send(_process, "STOP");

    /// <summary>SIGCONT after <see cref="Pause"/>.</summary>
    public void Resume() => Signals.Send(_process, "CONT");

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    /// <summary>
    /// The project's own build output, in this test's configuration (the csproj references it so it is built first). Not
    /// copied beside the test: the API is, and two services' appsettings.json cannot share one folder.
    /// </summary>
    private static string BuiltDll(string project)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = output.Name;
        var configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "IncidentOps.sln")))
        {
            root = root.Parent;
        }

        var dll = Path.Combine(root?.FullName ?? throw new DirectoryNotFoundException("No IncidentOps.sln above the test folder."),
            project, "bin", configuration, framework, $"{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{project} is not built ({dll}).", dll);
    }
}
