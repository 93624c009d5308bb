using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;

namespace IncidentOps.Agents.Tests;

/// <summary>A worker killed with SIGKILL in the middle of runs: another one finishes them, without repeating finished phases or events.</summary>
public class CrashRecoveryTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private const int Incidents = 150;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_killed_worker_s_runs_are_claimed_and_resumed_at_the_first_unfinished_phase()
    {
        var ids = new List<string>();
        for (var i = 0; i < Incidents; i++)
        {
            ids.Add(await fixture.OpenIncidentAsync($"Checkout 5xx error rate {i}% after deploy of v1.{i}", service: $"svc-{i}"));
        }

        (string, string)[] settings = [("Agents:ClaimIdleSeconds", "2"), ("Agents:MaxConcurrentIncidents", "8")];
        IReadOnlyList<OpsEvent> atKill;
        using (var doomed = WorkerProcess.Start(fixture.Redis.ConnectionString, settings))
        {
            var started = await fixture.Redis.Db.StreamLengthAsync(RedisKeys.OpsEvents);
            await Eventually.TrueAsync(
                async () => await fixture.Redis.Db.StreamLengthAsync(RedisKeys.OpsEvents) > started + 100, Deadline, "the first worker to be busy");
            // Freeze writes so the kill lands while runs are mid-phase (the worker is blocked on Redis, not between items),
            // then SIGKILL it and let writes flow again. Frozen, the log cannot move on, so a run it shows in progress is
            // still in progress when the kill lands; when it shows none (a worker publishes its steps after a quiet spell,
            // and may be between them), writes flow again and it is tried once more.
            atKill = await Eventually.ValueAsync<IReadOnlyList<OpsEvent>>(async () =>
            {
                await fixture.Redis.Db.ExecuteAsync("CLIENT", "PAUSE", "30000", "WRITE");
                var frozen = await fixture.Log.ReadAfterAsync(StreamId.Zero, 1_000_000);
                if (ids.Any(id => IsMidRun(frozen, id)))
                {
                    return frozen;
                }

                await fixture.Redis.Db.ExecuteAsync("CLIENT", "UNPAUSE");
                return null;
            }, Deadline, "a run in progress in the frozen log");
            doomed.Kill();
            await fixture.Redis.Db.ExecuteAsync("CLIENT", "UNPAUSE");
        }

        var interrupted = ids.Where(id => IsMidRun(atKill, id)).ToList(); // not empty: the kill waited for one
        Assert.True(await PendingAsync() > 0, "the dead worker left its runs unacknowledged");

        using var survivor = WorkerProcess.Start(fixture.Redis.ConnectionString, settings);
        await Eventually.TrueAsync(async () => await CompletedAsync(ids) == Incidents, Deadline, "every incident analysed");
        await Eventually.TrueAsync(async () => await PendingAsync() == 0, Deadline, "all work acknowledged");

        var events = (await fixture.Log.ReadAfterAsync(StreamId.Zero, 1_000_000)).Where(e => e.Type == EventTypes.AgentStateChanged).ToList();
        foreach (var id in ids)
        {
            var mine = events.Where(e => e.IncidentId == id).Select(Describe).ToList();
            // Every phase completed exactly once: a phase finished before the kill was not run again.
            foreach (var phase in Enum.GetValues<AgentPhase>())
            {
                Assert.Single(mine, e => e.Phase == phase && e.State == AgentState.Completed);
            }

            // No event twice: a restarted phase is a new attempt, never a replay of the old one's events.
            Assert.Equal(mine.Count, mine.Distinct().Count());
        }

        // The interrupted incidents resumed where they stopped: the phases done before the kill kept their single run.
        foreach (var id in interrupted)
        {
            var before = atKill.Where(e => e.IncidentId == id && e.Type == EventTypes.AgentStateChanged).Select(Describe).ToList();
            var finishedBefore = before.Where(e => e.State == AgentState.Completed).Select(e => e.Phase).ToHashSet();
            var after = events.Where(e => e.IncidentId == id).Select(Describe).Skip(before.Count).ToList();
            Assert.DoesNotContain(after, e => finishedBefore.Contains(e.Phase));
        }
    }

    [Fact]
    public async Task Two_workers_share_the_queue_and_every_incident_is_analysed_once()
    {
        using var first = WorkerProcess.Start(fixture.Redis.ConnectionString, ("Agents:MaxConcurrentIncidents", "4"));
        using var second = WorkerProcess.Start(fixture.Redis.ConnectionString, ("Agents:MaxConcurrentIncidents", "4"));
        var ids = new List<string>();
        for (var i = 0; i < 80; i++)
        {
            ids.Add(await fixture.OpenIncidentAsync($"Search p99 latency {i}s on shard {i}", service: $"search-{i}"));
        }

        await Eventually.TrueAsync(async () => await CompletedAsync(ids) == ids.Count, Deadline, "every incident analysed");

        var workers = new HashSet<string>();
        var events = (await fixture.Log.ReadAfterAsync(StreamId.Zero, 1_000_000)).Where(e => e.Type == EventTypes.AgentStateChanged).ToList();
        foreach (var id in ids)
        {
            var runs = await fixture.Store.GetRunsAsync(id);
            workers.UnionWith(runs.Values.Select(r => r.Worker).OfType<string>());
            Assert.All(runs.Values, r => Assert.Equal(1, r.Attempt));
            Assert.Equal(4, events.Count(e => e.IncidentId == id && Describe(e).State == AgentState.Completed));
        }

        // Both workers took a share of the queue.
        Assert.Equal(
            new[] { $"{Environment.MachineName}-{first.Id}", $"{Environment.MachineName}-{second.Id}" }.Order(StringComparer.Ordinal),
            workers.Order(StringComparer.Ordinal));
    }

    private static (AgentPhase Phase, AgentState State, int Attempt, int Progress, string? Message) Describe(OpsEvent e) =>
        (Enum.Parse<AgentPhase>(e.Data.GetProperty("phase").GetString()!, true), Enum.Parse<AgentState>(e.Data.GetProperty("state").GetString()!, true),
         e.Data.GetProperty("attempt").GetInt32(), e.Data.GetProperty("progress").GetInt32(), e.Data.GetProperty("message").GetString());

    private static bool IsMidRun(IReadOnlyList<OpsEvent> events, string id)
    {
        var mine = events.Where(e => e.IncidentId == id && e.Type == EventTypes.AgentStateChanged).Select(Describe).ToList();
        return mine.Count > 0 && !(mine[^1] is { Phase: AgentPhase.Resolution, State: AgentState.Completed });
    }

    private async Task<int> CompletedAsync(IEnumerable<string> ids)
    {
        var done = 0;
        foreach (var id in ids)
        {
            var runs = await fixture.Store.GetRunsAsync(id);
            done += runs.Count == 4 && runs.Values.All(r => r.State == AgentState.Completed) ? 1 : 0;
        }

        return done;
    }

    private async Task<long> PendingAsync() =>
        (await fixture.Redis.Db.StreamPendingAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup)).PendingMessageCount
        + (await fixture.Redis.Db.StreamPendingAsync(RedisKeys.AgentsUrgent, RedisKeys.AgentsGroup)).PendingMessageCount;
}
