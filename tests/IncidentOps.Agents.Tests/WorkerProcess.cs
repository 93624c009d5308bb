using System.Diagnostics;
using IncidentOps.Testing;

namespace IncidentOps.Agents.Tests;

/// <summary>The agents worker as a real OS process (the built IncidentOps.Agents.dll), so a test can kill it mid-run.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;

    private WorkerProcess(Process process) => _process = process;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static WorkerProcess Start(string redisConnection, params (string Key, string Value)[] settings)
    {
        var info = new ProcessStartInfo("dotnet", [AgentsDll()])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["ConnectionStrings__redis"] = redisConnection;
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Ports.Free()}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start the agents worker.");
        // Drain the pipes so a chatty worker never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new WorkerProcess(process);
    }

    /// <summary>SIGKILL: no shutdown hooks, no acknowledgements, leases left to expire.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            Kill();
        }

        _process.Dispose();
    }

    /// <summary>The worker as the build copies it next to this test (an executable project reference brings its runtimeconfig and deps).</summary>
    private static string AgentsDll()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "IncidentOps.Agents.dll");
        return File.Exists(Path.ChangeExtension(dll, ".runtimeconfig.json"))
            ? dll
            : throw new FileNotFoundException("The agents worker is not runnable from the test folder.", dll);
    }
}
