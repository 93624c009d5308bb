using System.Diagnostics;

namespace IncidentOps.EndToEnd.Tests;

/// <summary>Runs one of the web app's browser test scripts (node + playwright-core + Debian's chromium) against the running system.</summary>
public static class BrowserScripts
{
    public static string WebDirectory { get; } = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "../../../../../IncidentOps.Web"));

    public static ProcessStartInfo StartInfo(string script, SystemFixture system, bool interactive = false)
    {
        var start = new ProcessStartInfo("node", script)
        {
            WorkingDirectory = WebDirectory,
            RedirectStandardInput = interactive,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WEB_URL"] = system.WebUrl.ToString().TrimEnd('/');
        start.Environment["API_URL"] = system.ApiUrl.ToString().TrimEnd('/');
        start.Environment["INGEST_TOKEN"] = SystemFixture.DevelopmentIngestToken;
        start.Environment["SCREENSHOT_PATH"] = Path.Combine(Path.GetTempPath(), $"incidentops-{Path.GetFileNameWithoutExtension(script)}.png");
        return start;
    }

    /// <summary>
    /// Runs the script to its end and returns its exit code and output: what it wrote to stderr (its FAIL line) first, then
    /// its progress, so the first lines of a failed test's message (all a CI log's summary shows) say what failed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string script, SystemFixture system, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = StartInfo(script, system);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        await process.WaitForExitAsync(cancel.Token);
        return (process.ExitCode, $"{await stderr}\n{await stdout}");
    }
}
