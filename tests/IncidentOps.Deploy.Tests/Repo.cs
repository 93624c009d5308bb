using System.Diagnostics;
using System.Text;

namespace IncidentOps.Deploy.Tests;

/// <summary>Paths in the repository and a way to run its programs and scripts.</summary>
public static class Repo
{
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    public static string Root { get; } = FindRoot();

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string AppHostDll => PathOf("IncidentOps.AppHost", "bin", Configuration, "net10.0", "IncidentOps.AppHost.dll");

    public sealed record Run(int ExitCode, string Output, string Error)
    {
        public string All => Output + Error;
    }

    /// <summary>Runs a program to its end (bounded by <paramref name="timeout"/>) and returns what it printed.</summary>
    public static async Task<Run> RunAsync(string file, IEnumerable<string> args, TimeSpan timeout,
        IDictionary<string, string?>? environment = null, string? workingDirectory = null, string? input = null)
    {
        var info = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Root,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start.");
        var output = new StringBuilder();
        var error = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (error) { error.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} ran longer than {timeout.TotalSeconds:0} s. Output: {output}{error}");
        }

        process.WaitForExit();
        return new Run(process.ExitCode, output.ToString(), error.ToString());
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentOps.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IncidentOps.sln not found above the test folder.");
    }
}
