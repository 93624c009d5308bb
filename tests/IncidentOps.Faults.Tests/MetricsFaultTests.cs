using System.Diagnostics;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using IncidentOps.Figures;
using IncidentOps.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// The metrics worker SIGKILLed under load while it holds events it read and never acknowledged: a new worker claims them,
/// catches up from <c>ops:events</c>, and its incremental facts and figures then equal a full recompute from the incidents.
/// </summary>
public class MetricsFaultTests(ITestOutputHelper output)
{
    private const string Metrics = "IncidentOps.Metrics";
    private const string RecomputedPrefix = "{io}:faults:recomputed";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task The_metrics_worker_killed_under_load_catches_up_from_the_stream_and_equals_a_full_recompute()
    {
        await using var redis = new DurableRedis();
        await redis.StartAsync();
        using var api = new ApiProcess(redis.ConnectionString);
        await api.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var db = connection.GetDatabase();
        var incidents = new IncidentStore(connection);
        var facts = new FactStore(connection, incidents, new ActionStore(connection, TimeProvider.System));
        (string, string)[] settings = [("Metrics:ClaimIdleSeconds", "2")];

        await using var load = new AlertLoad(api.BaseAddress, resolveEveryOther: true);
        var doomed = ServiceProcess.Start(Metrics, redis.ConnectionString, settings);
        long heldAtKill;
        try
        {
            load.Start();
            await Eventually.TrueAsync(async () => (await facts.LoadAsync()).Rows.Count >= 50, Deadline, $"the metrics worker to follow the load ({doomed.Errors})");
            heldAtKill = await KillHoldingEventsAsync(db, doomed);
        }
        finally
        {
            doomed.Kill();
        }

        var acceptedAtKill = load.Accepted.Count;
        await Task.Delay(Downtime); // the fault: the load goes on with no metrics worker
        var behind = await LagAsync(db);
        using var survivor = ServiceProcess.Start(Metrics, redis.ConnectionString, settings);
        var restarted = Stopwatch.StartNew();
        await Task.Delay(Downtime); // the load goes on while the new worker catches up
        await load.StopAsync();
        await Eventually.TrueAsync(async () => await LagAsync(db) is (0, 0), Deadline, $"the new worker to catch up ({survivor.Errors})");
        var caughtUp = restarted.Elapsed;
        var deadHolds = (await db.StreamPendingAsync(RedisKeys.OpsEvents, RedisKeys.MetricsGroup)).Consumers.Where(c => c.Name == doomed.Consumer).Sum(c => c.PendingMessageCount);

        // The full recompute path (what the first start and the bench run): every stored incident's fact, under another prefix.
        var rebuilt = await facts.RebuildAsync(RecomputedPrefix);
        var ids = new List<string>();
        await foreach (var incident in incidents.AllAsync(500))
        {
            ids.Add(incident.Id);
        }

        var incremental = await DescribeAsync(facts, ids, RedisKeys.MetricsFacts);
        var recomputed = await DescribeAsync(facts, ids, RecomputedPrefix);
        var differing = ids.Where(id => incremental.GetValueOrDefault(id) != recomputed.GetValueOrDefault(id)).ToList();

        var calculator = new BusinessCalculator(new TestClock(DateTimeOffset.UtcNow), Options.Create(new CostOptions()));
        var figures = OpsJson.Serialize(calculator.Compute(await facts.LoadAsync(), MetricsQuery.Week));
        var recomputedFigures = OpsJson.Serialize(calculator.Compute(await facts.LoadAsync(RecomputedPrefix), MetricsQuery.Week));
        var snapshot = OpsJson.Deserialize<MetricsSnapshot>((await db.StringGetAsync(RedisKeys.MetricsSnapshot)).ToString());
        var table = await facts.LoadAsync(RecomputedPrefix);
        var (handled, open) = (table.Rows.Count(r => r.IsResolved), table.Rows.Count(r => r.IsOpen));

        var lost = await load.LostAsync(connection);
        output.WriteLine($"Injected: SIGKILL of the metrics worker (pid {doomed.Id}) holding {heldAtKill} unacknowledged events, after {acceptedAtKill:N0} alerts accepted; " +
            $"{Downtime.TotalSeconds:F0} s without a worker ({behind.Undelivered:N0} events undelivered, {behind.Pending:N0} pending), then a new worker.");
        output.WriteLine($"Checked: {load.Summary()}; {load.Durability(lost)}; resolves {string.Join(", ", load.Resolved.Select(r => $"{r.Value:N0}×{r.Key}"))}; " +
            $"caught up {caughtUp.TotalSeconds:F1} s after the restart (0 pending, 0 undelivered; the dead worker holds {deadHolds}); " +
            $"{ids.Count:N0} incidents, {incremental.Count:N0} incremental facts, {rebuilt:N0} recomputed, {differing.Count} differ; " +
            $"7-day figures {(figures == recomputedFigures ? "equal" : "DIFFER")}; published snapshot {snapshot.IncidentsHandled:N0} handled / {snapshot.IncidentsOpen:N0} open, recompute {handled:N0} / {open:N0}.");

        Assert.Empty(lost);
        Assert.True(heldAtKill > 0);
        Assert.Equal(0, deadHolds);
        Assert.Equal(ids.Count, incremental.Count);
        Assert.Empty(differing);
        Assert.Equal(recomputedFigures, figures);
        Assert.Equal((handled, open), (snapshot.IncidentsHandled, snapshot.IncidentsOpen));
        Assert.Empty(load.ServerErrors);
    }

    /// <summary>
    /// Freezes writes (CLIENT PAUSE WRITE) until a moment when the worker holds events it read and has not acknowledged,
    /// and kills it there: its acknowledgement cannot land first. Returns how many it held.
    /// </summary>
    private static async Task<long> KillHoldingEventsAsync(IDatabase db, ServiceProcess worker) =>
        await Eventually.ValueAsync<object>(async () =>
        {
            await db.ExecuteAsync("CLIENT", "PAUSE", "10000", "WRITE");
            try
            {
                var held = (await db.StreamPendingAsync(RedisKeys.OpsEvents, RedisKeys.MetricsGroup)).Consumers
                    .Where(c => c.Name == worker.Consumer).Sum(c => (long)c.PendingMessageCount);
                if (held == 0)
                {
                    return null;
                }

                worker.Kill();
                return held;
            }
            finally
            {
                await db.ExecuteAsync("CLIENT", "UNPAUSE");
            }
        }, Deadline, "the metrics worker to hold unacknowledged events") is long held ? held : 0;

    /// <summary>Events of <c>ops:events</c> not yet delivered to the metrics group, and delivered but not acknowledged.</summary>
    private static async Task<(long Undelivered, long Pending)> LagAsync(IDatabase db)
    {
        var stream = await db.StreamInfoAsync(RedisKeys.OpsEvents);
        var group = (await db.StreamGroupInfoAsync(RedisKeys.OpsEvents)).Single(g => g.Name == RedisKeys.MetricsGroup);
        var undelivered = group.Lag ?? (group.LastDeliveredId == stream.LastGeneratedId ? 0 : -1);
        return (undelivered, group.PendingMessageCount);
    }

    /// <summary>Each incident's fact under <paramref name="prefix"/>, with its service and previous incident by name (slots differ between the two).</summary>
    private static async Task<Dictionary<string, string>> DescribeAsync(FactStore facts, List<string> ids, string prefix)
    {
        var services = (await facts.LoadAsync(prefix)).Services;
        var rows = await facts.GetAsync(ids, prefix);
        var bySlot = rows.ToDictionary(r => r.Value.Slot, r => r.Key);
        return rows.ToDictionary(r => r.Key, r => $"{services[r.Value.ServiceIndex]} after {bySlot.GetValueOrDefault(r.Value.PreviousSlot) ?? "-"}: " +
            (r.Value with { Slot = 0, ServiceIndex = 0, PreviousSlot = 0 }).ToString());
    }
}
