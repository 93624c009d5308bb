using System.Text.Json;
using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IncidentOps.Agents.Tests;

public class AgentWorkerTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    // A fresh worker loads the sentence-embedding model (MiniLM, seconds; far more on a loaded 2-core machine) before its first diagnosis.
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private WebApplicationFactory<Program> Worker(int claimIdleSeconds = 60, int maxReanalyses = 4, int maxNewIncidents = 2) => new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
        .UseEnvironment("Testing")
        .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", fixture.Redis.ConnectionString)
        .UseSetting("Agents:ClaimIdleSeconds", claimIdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Agents:MaxConcurrentReanalyses", maxReanalyses.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .UseSetting("Agents:MaxConcurrentNewIncidents", maxNewIncidents.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task New_incidents_are_analysed_one_at_a_time_in_order_of_arrival()
    {
        // Five new incidents queued one after another before the worker starts; it may analyse one new incident at a time.
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await fixture.OpenIncidentAsync($"Replica lag {i}0 s on ledger-{i}", service: $"ledger-{i}"));
        }

        await using var worker = Worker(maxNewIncidents: 1);
        _ = worker.Server;
        await Eventually.TrueAsync(async () => await AllCompletedAsync(ids), Deadline, "five incidents analysed");

        // Each one's analysis (its first agent state to its fourth COMPLETED, as its timeline shows them) starts only after
        // the one queued before it finished: in order of arrival, none overlapping another.
        var spans = new List<(StreamId Start, StreamId End)>();
        foreach (var id in ids)
        {
            var states = (await fixture.Store.GetTimelineAsync(id)).Where(e => e.Type == Core.Events.EventTypes.AgentStateChanged).ToList();
            spans.Add((StreamId.Parse(states[0].Id), StreamId.Parse(states.Last(e => e.Data.GetProperty("state").Deserialize<AgentState>(Core.Events.OpsJson.Options) == AgentState.Completed).Id)));
        }

        for (var i = 1; i < spans.Count; i++)
        {
            Assert.True(spans[i].Start > spans[i - 1].End, $"incident {i} started at {spans[i].Start}, before incident {i - 1} finished at {spans[i - 1].End}");
        }
    }

    [Fact]
    public async Task New_incidents_go_first_and_re_analyses_run_a_bounded_few_at_a_time()
    {
        // Six new incidents (agents:urgent) and a re-analysis of each (agents:work), all queued before the worker starts.
        var ids = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => fixture.OpenIncidentAsync($"Queue lag {i}0k on orders-{i}", service: $"orders-{i}")));
        var last = StreamId.Zero;
        foreach (var id in ids)
        {
            last = StreamId.Parse((await fixture.Redis.Db.StreamAddAsync(
                RedisKeys.AgentsWork, "work", Core.Events.OpsJson.Serialize(new WorkItem(id, "alert_changed", DateTimeOffset.UtcNow)))).ToString());
        }

        await using var worker = Worker(maxReanalyses: 2);
        _ = worker.Server;

        // Both streams' delivered-but-unfinished counts, read in one transaction each time, until all is done.
        var samples = new List<(long Urgent, long Work)>();
        await Eventually.TrueAsync(async () =>
        {
            var read = fixture.Redis.Db.CreateTransaction();
            var urgent = read.StreamPendingAsync(RedisKeys.AgentsUrgent, RedisKeys.AgentsGroup);
            var work = read.StreamPendingAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup);
            await read.ExecuteAsync();
            samples.Add(((await urgent).PendingMessageCount, (await work).PendingMessageCount));
            return samples[^1] == (0, 0) && await AllCompletedAsync(ids)
                && StreamId.Parse((await fixture.Redis.Db.StreamGroupInfoAsync(RedisKeys.AgentsWork)).Single(g => g.Name == RedisKeys.AgentsGroup).LastDeliveredId!) >= last;
        }, Deadline, "every analysis and re-analysis finished");

        Assert.DoesNotContain(samples, s => s.Urgent > 0 && s.Work > 0);
        Assert.All(samples, s => Assert.InRange(s.Work, 0, 2));
    }

    [Fact]
    public async Task The_worker_analyses_queued_incidents_and_acknowledges_the_work()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 5).Select(i => fixture.OpenIncidentAsync($"Disk 9{i}% full on db-{i}")));

        await using var worker = Worker();
        _ = worker.Server;

        await Eventually.TrueAsync(async () => await AllCompletedAsync(ids), Deadline, "five incidents analysed");
        await Eventually.TrueAsync(async () => await PendingAsync() == 0, Deadline, "the work acknowledged");
    }

    [Fact]
    public async Task Work_left_pending_by_a_dead_worker_is_claimed_and_finished()
    {
        await using (var warmup = Worker())
        {
            _ = warmup.Server; // creates the consumer group
        }

        var id = await fixture.OpenIncidentAsync("Cert for api.example.com expires in 2 days", severity: "warning");
        // A worker that took the item (a new incident's: the urgent queue) and died before acknowledging it.
        var taken = await fixture.Redis.Db.StreamReadGroupAsync(RedisKeys.AgentsUrgent, RedisKeys.AgentsGroup, "dead-worker", ">", 10);
        Assert.Contains(taken, e => e["work"].ToString().Contains(id, StringComparison.Ordinal));

        // 5 s, not 1: the survivor's own lease is this long too, and a loaded machine (CI) can miss a 1 s renewal and cancel its run.
        await using var survivor = Worker(claimIdleSeconds: 5);
        _ = survivor.Server;

        await Eventually.TrueAsync(async () => await AllCompletedAsync([id]), Deadline, "the orphaned incident analysed");
        await Eventually.TrueAsync(async () => await PendingAsync() == 0, Deadline, "the orphaned work acknowledged");
    }

    private async Task<bool> AllCompletedAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            var runs = await fixture.Store.GetRunsAsync(id);
            if (runs.Count < 4 || runs.Values.Any(r => r.State != AgentState.Completed))
            {
                return false;
            }
        }

        return true;
    }

    private async Task<long> PendingAsync() =>
        (await fixture.Redis.Db.StreamPendingAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup)).PendingMessageCount
        + (await fixture.Redis.Db.StreamPendingAsync(RedisKeys.AgentsUrgent, RedisKeys.AgentsGroup)).PendingMessageCount;
}
