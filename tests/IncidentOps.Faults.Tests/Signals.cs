using System.Diagnostics;
using System.Globalization;

namespace IncidentOps.Faults.Tests;

/// <summary>Real POSIX signals to a process (SIGSTOP, SIGCONT), through <c>kill</c>: .NET sends only SIGKILL itself.</summary>
public static class Signals
{
    public static void Send(Process process, string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", process.Id.ToString(CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {process.Id} failed with {kill.ExitCode}");
        }
    }
}
