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
    public async Task Startup_times_a_fresh_api_to_its_first_health_answer_and_first_accepted_alert()
    {
        var (exit, output) = await RunAsync("startup", "--runs", "1");
        Assert.Matches(@"\| 1 \| build \| [\d. ]+ \| \d+ \| \d+ \| [\d.]+ \| [\d.]+ / [\d.]+ \| [\d.]+ \|", output);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task A_published_folder_that_does_not_exist_is_refused_before_anything_starts()
    {
        var (exit, output) = await RunAsync("startup", "--published", "/nonexistent/incidentops-publish");
        Assert.Contains("--published /nonexistent/incidentops-publish: no such folder", output, StringComparison.Ordinal);
        Assert.NotEqual(0, exit);
    }

    [Fact]
    public async Task Fanout_delivers_every_alert_to_every_subscriber()
    {
        // With a second of warm flow first: its alerts reach the same clients and must count neither as missed nor as doubled.
        var (exit, output) = await RunAsync("fanout", "--subscribers", "5", "--seconds", "1", "--rate", "5", "--burst", "5", "--warm-up", "1");
        Assert.Contains("warm: 5 alerts at 5/s to the subscribed clients", output, StringComparison.Ordinal);
        Assert.Contains("alerts missed: 0; events out of order or doubled: 0", output, StringComparison.Ordinal);
        Assert.Contains("the load generator's own stalls over the steady phase", output, StringComparison.Ordinal);
        Assert.Contains("KiB per connection", output, StringComparison.Ordinal);
        // The log's tally covers the measured phases only: their 5 + 5 alerts, not the warm-up's 5.
        Assert.Contains("alert.received 10 ×", output, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task Fanout_with_the_hub_in_a_process_of_its_own_pinned_apart_delivers_every_alert_to_every_subscriber()
    {
        // The production split (Api:Role api and hub), each on a CPU of its own: alerts posted to one reach clients of the other.
        var (exit, output) = await RunAsync(
            "fanout", "--subscribers", "5", "--seconds", "1", "--rate", "5", "--burst", "5", "--agents", "false", "--hub-apart", "true", "--pin", "true");
        Assert.Contains("hub in a second API process (apart from intake)", output, StringComparison.Ordinal);
        Assert.Contains("alerts missed: 0; events out of order or doubled: 0", output, StringComparison.Ordinal);
        Assert.Equal(0, exit);
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_told_to_resync_while_the_others_get_every_alert()
    {
        // One client subscribes, then reads nothing (a 4 KiB receive buffer) while 6,000 alerts go out: more than the kernel's
        // socket buffers hold (up to 4 MiB on Linux), so with 4 frames of queue the hub must end its stream with a resync or drop
        // the connection, and the others must still get every alert, in order.
        var (exit, output) = await RunAsync(
            "fanout", "--subscribers", "3", "--stalled", "1", "--queue-frames", "4", "--seconds", "1", "--rate", "50", "--burst", "6000", "--agents", "false");
        Assert.Contains("alerts missed: 0; events out of order or doubled: 0; resyncs of reading clients: 0", output, StringComparison.Ordinal);
        Assert.Contains("stalled clients: 1 of 1 told to resync or dropped by the hub", output, StringComparison.Ordinal);
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
    public async Task Soak_samples_every_process_for_a_minute_resolves_and_trims_as_it_goes_and_loses_nothing_accepted()
    {
        // Three services start (the agents load their embedding model) before the minute of load: a longer deadline.
        // Retention shortened to 15 s and incidents resolved after 10 s, so the run passes the retention age.
        var (exit, output) = await RunAsync(TimeSpan.FromMinutes(8), "soak", "--minutes", "1", "--rate", "10", "--sample-every", "2",
            "--resolve-after", "10", "--resolve-every", "5", "--keep-events-minutes", "0.25", "--keep-resolved-minutes", "0.25");
        foreach (var row in new[] { "| api |", "| agents |", "| metrics |", "| Redis used_memory |", "| before the retention age |", "| after the retention age |" })
        {
            Assert.Contains(row, output, StringComparison.Ordinal);
        }

        Assert.Matches(@"resolver: [1-9]\d* incidents resolved through the API .*, 0 failures", output);
        Assert.Contains("Redis plateau: slope after / before the retention age", output, StringComparison.Ordinal);
        Assert.Matches(@"durability: [1-9]\d* distinct alerts answered 202; the [1-9]\d* last answered within the resolved-incident retention \(0.25 min\), 0 of them missing", output);
        Assert.Equal(0, exit);
    }

    private static Task<(int Exit, string Output)> RunAsync(params string[] args) => RunAsync(TimeSpan.FromMinutes(4), args);

    private static async Task<(int Exit, string Output)> RunAsync(TimeSpan timeout, params string[] args)
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
        using var deadline = new CancellationTokenSource(timeout);
        await process.WaitForExitAsync(deadline.Token);
        var output = await stdout + await stderr;
        Console.WriteLine(output);
        return (process.ExitCode, output);
    }
}
