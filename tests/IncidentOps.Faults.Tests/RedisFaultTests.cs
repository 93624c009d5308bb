using System.Diagnostics;
using System.Net;
using System.Text.Json;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// Real processes, real signals, under a steady load of alerts with unique keys: redis-server with AOF and the API
/// as its own process. After each fault every 202 is checked against Redis: a 202 means the alert is safe.
/// </summary>
public class RedisFaultTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Warmup = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan AfterRecovery = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Redis_killed_and_restarted_from_its_AOF_loses_no_accepted_alert_and_the_API_answers_503_meanwhile()
    {
        await using var redis = new DurableRedis();
        await redis.StartAsync();
        using var api = new ApiProcess(redis.ConnectionString);
        await api.StartAsync();
        await using var load = new AlertLoad(api.BaseAddress);

        load.Start();
        await WaitForAcceptedAsync(load, 50);
        await Task.Delay(Warmup);
        var before = load.Accepted.Count;
        redis.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        await Eventually.TrueAsync(() => Task.FromResult(!load.Unavailable.IsEmpty), TimeSpan.FromSeconds(20), "a 503 while Redis is down");
        var health = await HealthAsync(api.BaseAddress);

        await redis.StartAsync();
        var restartedAt = DateTimeOffset.UtcNow;
        var recovered = await WaitForAcceptedAfterAsync(load, restartedAt);
        await NothingAcceptedIsLostAsync(redis, load,
            $"SIGKILL redis-server (appendfsync everysec) at {killedAt:HH:mm:ss.fff} after {before:N0} accepted, restarted from its AOF.",
            $"While down: /dashboard/health {health}; a 503 said: {load.Unavailable.First()}",
            $"first 202 {(recovered - restartedAt).TotalSeconds:F1} s after redis-server was back (API reconnected by itself)");
        Assert.StartsWith("503", health, StringComparison.Ordinal);
        Assert.True(load.Slowest < TimeSpan.FromSeconds(15), $"An answer took {load.Slowest.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task Redis_unreachable_for_30_seconds_loses_nothing_answers_503_and_the_API_recovers_by_itself()
    {
        await using var redis = new DurableRedis();
        await redis.StartAsync();
        using var api = new ApiProcess(redis.ConnectionString);
        await api.StartAsync();
        await using var load = new AlertLoad(api.BaseAddress);

        load.Start();
        await WaitForAcceptedAsync(load, 50);
        redis.Stop();
        var stoppedAt = Stopwatch.StartNew();
        await Eventually.TrueAsync(() => Task.FromResult(!load.Unavailable.IsEmpty), TimeSpan.FromSeconds(25), "a 503 while Redis is stopped");
        var health = await HealthAsync(api.BaseAddress);
        var unreachable = TimeSpan.FromSeconds(30) - stoppedAt.Elapsed;
        if (unreachable > TimeSpan.Zero)
        {
            await Task.Delay(unreachable); // the fault lasts 30 s: this is the fault, not a wait for a result
        }

        redis.Continue();
        var resumedAt = DateTimeOffset.UtcNow;
        DateTimeOffset recovered;
        try
        {
            recovered = await WaitForAcceptedAfterAsync(load, resumedAt);
        }
        catch (TimeoutException)
        {
            output.WriteLine(api.Errors);
            throw;
        }
        await NothingAcceptedIsLostAsync(redis, load,
            "SIGSTOP redis-server for 30 s, then SIGCONT.",
            $"While stopped: /dashboard/health {health}; a 503 said: {load.Unavailable.First()}",
            $"first 202 {(recovered - resumedAt).TotalSeconds:F1} s after SIGCONT");
        Assert.StartsWith("503", health, StringComparison.Ordinal);
        Assert.True(load.Slowest < TimeSpan.FromSeconds(15), $"An answer took {load.Slowest.TotalSeconds:F1} s");
    }

    [Fact]
    public async Task The_API_killed_mid_load_loses_no_accepted_alert_its_in_flight_requests_fail_and_a_new_one_serves()
    {
        await using var redis = new DurableRedis();
        await redis.StartAsync();
        using var first = new ApiProcess(redis.ConnectionString);
        await first.StartAsync();
        await using var load = new AlertLoad(first.BaseAddress);

        load.Start();
        await WaitForAcceptedAsync(load, 100);
        first.Kill();
        var killedAt = DateTimeOffset.UtcNow;
        var acceptedAtKill = load.Accepted.Count;
        await Eventually.TrueAsync(() => Task.FromResult(load.FailedInFlight > 0), TimeSpan.FromSeconds(20), "requests to fail once the API is gone");

        // Restarted where it was (same port, as the AppHost or ECS would), picking up the same Redis.
        using var second = new ApiProcess(redis.ConnectionString, first.Port);
        await second.StartAsync();
        var recovered = await WaitForAcceptedAfterAsync(load, DateTimeOffset.UtcNow);
        await NothingAcceptedIsLostAsync(redis, load,
            $"SIGKILL of the API at {killedAt:HH:mm:ss.fff} after {acceptedAtKill:N0} accepted; a new API process on the same port.",
            null,
            $"first 202 {(recovered - killedAt).TotalSeconds:F1} s after the kill (including the new process's start)");
    }

    /// <summary>
    /// Lets the load run on after recovery, stops it, and checks every 202 against Redis and that no answer was a 5xx
    /// other than 503; prints what was injected, what was seen meanwhile and the counts.
    /// </summary>
    private async Task NothingAcceptedIsLostAsync(DurableRedis redis, AlertLoad load, string injected, string? meanwhile, string recovery)
    {
        await Task.Delay(AfterRecovery);
        await load.StopAsync();

        await using var reader = await redis.ConnectAsync();
        var lost = await load.LostAsync(reader);
        output.WriteLine($"Injected: {injected}");
        if (meanwhile is not null)
        {
            output.WriteLine(meanwhile);
        }

        output.WriteLine($"Checked: {load.Summary()}; {load.Durability(lost)}; {recovery}.");
        Assert.Empty(lost);
        Assert.Empty(load.ServerErrors);
    }

    private static async Task WaitForAcceptedAsync(AlertLoad load, int count) =>
        await Eventually.TrueAsync(() => Task.FromResult(load.Accepted.Count >= count), TimeSpan.FromSeconds(60), $"{count} alerts accepted");

    private static async Task<DateTimeOffset> WaitForAcceptedAfterAsync(AlertLoad load, DateTimeOffset after)
    {
        await Eventually.TrueAsync(() => Task.FromResult(load.Accepted.Any(a => a.At > after)), TimeSpan.FromSeconds(90), $"a 202 after recovery ({load.Summary()})");
        return load.Accepted.Where(a => a.At > after).Min(a => a.At);
    }

    private static async Task<string> HealthAsync(Uri api)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(10) };
        // A request that just timed out marks Redis down; the probe itself does no I/O.
        string text = "";
        await Eventually.TrueAsync(async () =>
        {
            using var response = await http.GetAsync("/dashboard/health");
            text = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
            return response.StatusCode == HttpStatusCode.ServiceUnavailable;
        }, TimeSpan.FromSeconds(20), "/dashboard/health to report Redis down");
        return text;
    }
}
