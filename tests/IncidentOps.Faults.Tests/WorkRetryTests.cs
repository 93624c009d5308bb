using System.Diagnostics;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// A new incident's analysis that fails on a transient Redis error (redis-server SIGSTOPped longer than the client's
/// timeout while the worker had the item) is run again by the same worker within seconds, not left pending until
/// <c>Agents:ClaimIdleSeconds</c> (a minute) has passed and it counts as a dead worker's.
/// </summary>
public class WorkRetryTests(ITestOutputHelper output)
{
    /// <summary>The first worker's first analysis includes loading the embedding model: over a minute on a busy 2-core machine.</summary>
    private static readonly TimeSpan FirstAnalysis = TimeSpan.FromSeconds(180);

    /// <summary>Longer than StackExchange.Redis's 5 s command timeout: the worker's pending command fails.</summary>
    private static readonly TimeSpan Paused = TimeSpan.FromSeconds(8);

    private const int ClaimIdleSeconds = 60;

    [Fact]
    public async Task A_new_incidents_analysis_failed_by_a_redis_pause_is_run_again_within_seconds_not_after_the_claim_time()
    {
        await using var redis = new DurableRedis();
        await redis.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var incidents = new IncidentStore(connection);
        using var worker = ServiceProcess.Start("IncidentOps.Agents", redis.ConnectionString,
            ("AI:Provider", "Local"), ("Agents:ClaimIdleSeconds", $"{ClaimIdleSeconds}"));

        // Warm: the model is loaded by the first analysis, so the one under test is quick once it can run.
        var warm = await TestIncidents.OpenAsync(incidents, "Checkout latency p99 over 2 s", service: "warmup-api");
        await Eventually.TrueAsync(() => AllCompletedAsync(incidents, warm), FirstAnalysis, $"the warm-up incident analysed ({worker.Errors})");

        // Another worker holds the next incident (its lease, for 5 s) when this worker takes its item: the worker is paused
        // while the incident opens and the lease is taken, so it is inside the run, polling Redis for the lease, when
        // Redis stops answering.
        var db = connection.GetDatabase();
        worker.Pause();
        string id;
        try
        {
            id = await TestIncidents.OpenAsync(incidents, "Payments API 5xx ratio 38 % for 5 minutes", service: "payments-api");
            Assert.True(await db.StringSetAsync(RedisKeys.IncidentLease(id), "another-worker/test", TimeSpan.FromSeconds(5), When.NotExists));
        }
        finally
        {
            worker.Resume();
        }

        await Eventually.TrueAsync(async () => (await db.StreamPendingAsync(RedisKeys.AgentsUrgent, RedisKeys.AgentsGroup)).PendingMessageCount == 1,
            TimeSpan.FromSeconds(30), "the worker to take the new incident's item");

        redis.Stop();
        await Task.Delay(Paused); // the fault lasts 8 s: this is the fault, not a wait for a result
        redis.Continue();
        var resumed = Stopwatch.StartNew();

        var done = await WaitCompletedAsync(incidents, id, TimeSpan.FromSeconds(ClaimIdleSeconds + 30));
        var completedAfter = resumed.Elapsed;
        var pending = await db.StreamPendingAsync(RedisKeys.AgentsUrgent, RedisKeys.AgentsGroup);
        output.WriteLine($"Injected: the incident's lease held by another holder for 5 s, then SIGSTOP redis-server for {Paused.TotalSeconds:0} s while the worker waited for it (claim time {ClaimIdleSeconds} s).");
        output.WriteLine($"Checked: four agents COMPLETED {(done ? $"{completedAfter.TotalSeconds:F1} s after SIGCONT" : "not")}; urgent items pending then: {pending.PendingMessageCount}; worker said: {worker.Errors}");
        Assert.True(done, "the analysis never finished");
        Assert.True(completedAfter < TimeSpan.FromSeconds(20), $"the failed analysis ran again only {completedAfter.TotalSeconds:F1} s after Redis was back (the claim time is {ClaimIdleSeconds} s)");

        // The item is acknowledged once the pipeline ends, just after the fourth agent's COMPLETED is written: it leaves the
        // pending list moments later (a lost retry would leave it there for a dead worker's claim, a minute).
        await Eventually.TrueAsync(async () => (await db.StreamPendingAsync(RedisKeys.AgentsUrgent, RedisKeys.AgentsGroup)).PendingMessageCount == 0,
            TimeSpan.FromSeconds(10), "the new incident's work item acknowledged after its analysis finished");
    }

    private static async Task<bool> AllCompletedAsync(IncidentStore incidents, string id)
    {
        var runs = await incidents.GetRunsAsync(id);
        return runs.Count == 4 && runs.Values.All(r => r.State == AgentState.Completed);
    }

    private static async Task<bool> WaitCompletedAsync(IncidentStore incidents, string id, TimeSpan timeout)
    {
        try
        {
            await Eventually.TrueAsync(() => AllCompletedAsync(incidents, id), timeout, "the incident analysed after Redis was back");
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
