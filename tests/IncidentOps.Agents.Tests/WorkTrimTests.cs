using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using StackExchange.Redis;

namespace IncidentOps.Agents.Tests;

/// <summary><c>agents:work</c> does not keep acknowledged entries forever, and never loses unacknowledged or unread ones.</summary>
public class WorkTrimTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    [Fact]
    public async Task Trimming_removes_only_entries_every_group_acknowledged()
    {
        var db = fixture.Redis.Db;
        var stream = $"test:trim:{Guid.NewGuid():N}";
        await ConsumerGroups.EnsureAsync(db, stream, "workers", "0-0");
        var ids = new RedisValue[10];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = await db.StreamAddAsync(stream, "n", i);
        }

        await db.StreamReadGroupAsync(stream, "workers", "w1", ">", 6); // 0..5 delivered, 6..9 not yet read
        await db.StreamAcknowledgeAsync(stream, "workers", [ids[0], ids[1], ids[2], ids[4], ids[5]]); // 3 still pending

        Assert.Equal(3, await ConsumerGroups.TrimAcknowledgedAsync(db, stream));
        Assert.Equal(ids[3..], Remaining(await db.StreamRangeAsync(stream)));

        await db.StreamAcknowledgeAsync(stream, "workers", ids[3]);
        Assert.Equal(3, await ConsumerGroups.TrimAcknowledgedAsync(db, stream));
        Assert.Equal(ids[6..], Remaining(await db.StreamRangeAsync(stream)));

        // A second group that has read nothing holds everything that is left.
        await ConsumerGroups.EnsureAsync(db, stream, "late", "0-0");
        await db.StreamAcknowledgeAsync(stream, "workers", [.. (await db.StreamReadGroupAsync(stream, "workers", "w1", ">", 10)).Select(e => e.Id)]);
        Assert.Equal(0, await ConsumerGroups.TrimAcknowledgedAsync(db, stream));
        Assert.Equal(4, await db.StreamLengthAsync(stream));
    }

    [Fact]
    public async Task A_stream_no_group_has_joined_is_left_alone()
    {
        var stream = $"test:trim:{Guid.NewGuid():N}";
        await fixture.Redis.Db.StreamAddAsync(stream, "n", 1);

        Assert.Equal(0, await ConsumerGroups.TrimAcknowledgedAsync(fixture.Redis.Db, stream));
        Assert.Equal(1, await fixture.Redis.Db.StreamLengthAsync(stream));
    }

    [Fact]
    public async Task The_worker_trims_the_work_it_acknowledged()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => fixture.OpenIncidentAsync($"Disk 9{i}% full on trim-db-{i}", service: $"trim-db-{i}")));
        Assert.True(await fixture.Redis.Db.StreamLengthAsync(RedisKeys.AgentsUrgent) >= 3);

        await using var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", fixture.Redis.ConnectionString)
            .UseSetting("Agents:ClaimIdleSeconds", "3")); // heartbeat (and trim) every second
        _ = worker.Server;

        await Eventually.TrueAsync(async () => (await Task.WhenAll(ids.Select(fixture.Store.GetRunsAsync)))
            .All(runs => runs.Count == 4 && runs.Values.All(r => r.State == AgentState.Completed)), TimeSpan.FromSeconds(30), "three incidents analysed");
        await Eventually.TrueAsync(async () => await fixture.Redis.Db.StreamLengthAsync(RedisKeys.AgentsUrgent) == 0, TimeSpan.FromSeconds(30), "the acknowledged work trimmed");
    }

    private static RedisValue[] Remaining(StreamEntry[] entries) => [.. entries.Select(e => e.Id)];
}
