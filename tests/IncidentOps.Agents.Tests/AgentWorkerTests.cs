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

    private WebApplicationFactory<Program> Worker(int claimIdleSeconds = 60) => new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
        .UseEnvironment("Testing")
        .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", fixture.Redis.ConnectionString)
        .UseSetting("Agents:ClaimIdleSeconds", claimIdleSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)));

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

        await using var survivor = Worker(claimIdleSeconds: 1);
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
