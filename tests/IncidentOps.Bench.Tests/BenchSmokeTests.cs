using System.Diagnostics;

namespace IncidentOps.Bench.Tests;

/// <summary>
/// A few seconds of each load bench, run as the command bench/README.md gives, so they do not rot. No timing assertion
/// (figures on a shared CI machine mean nothing); what must hold at any speed does: every 202 durable, no alert missed.
/// </summary>
public sealed class BenchSmokeTests
{
    [Fact]
    public async Task Ingest_compares_with_bare_kestrel_and_finds_every_accepted_alert_in_redis()
    {
        var (exit, output) = await RunAsync("ingest", "--seconds", "2", "--connections", "4");
        Assert.Contains("| bare Kestrel (parse + 202) |", output, StringComparison.Ordinal);
        Assert.Contains("| IncidentOps POST /api/v1/events |", output, StringComparison.Ordinal);
        Assert.Matches(@"durability: [1-9]\d* distinct alerts answered 202, 0 of them missing", output);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Fanout_delivers_every_alert_to_every_subscriber()
    {
        var (exit, output) = await RunAsync("fanout", "--subscribers", "5", "--seconds", "1", "--rate", "5", "--burst", "5");
        Assert.Contains("alerts missed: 0; out of order or doubled: 0", output, StringComparison.Ordinal);
        Assert.Contains("KiB per connection", output, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Storm_times_new_incidents_to_their_fourth_completed_agent()
    {
        var (exit, output) = await RunAsync("storm", "--seconds", "3", "--connections", "4", "--probe-every", "1");
        Assert.Matches(@"\| (\d+) \| \1 \(others not within", output);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Soak_samples_every_process_for_a_minute_and_loses_nothing_accepted()
    {
        var (exit, output) = await RunAsync("soak", "--minutes", "1", "--rate", "10", "--sample-every", "2");
        foreach (var row in new[] { "| api |", "| agents |", "| metrics |", "| Redis used_memory |" })
        {
            Assert.Contains(row, output, StringComparison.Ordinal);
        }

        Assert.Contains("projected to the 7-day events retention", output, StringComparison.Ordinal);
        Assert.Matches(@"durability: [1-9]\d* distinct alerts answered 202, 0 of them missing", output);
        Assert.Equal(0, exit);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(root.FullName, "IncidentOps.sln")))
        {
            root = root.Parent ?? throw new InvalidOperationException("Not inside the repository.");
        }

        var bench = Path.Combine(root.FullName, "bench", "IncidentOps.Bench", "bin", configuration, "net10.0", "IncidentOps.Bench.dll");
        using var process = Process.Start(new ProcessStartInfo("dotnet", [bench, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(deadline.Token);
        var output = await stdout + await stderr;
        Console.WriteLine(output);
        return (process.ExitCode, output);
    }
}
