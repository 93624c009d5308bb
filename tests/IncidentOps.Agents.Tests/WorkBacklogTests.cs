using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using StackExchange.Redis;

namespace IncidentOps.Agents.Tests;

/// <summary>The backlog the AWS deployment scales the agents on: undelivered plus unacknowledged work items.</summary>
public sealed class WorkBacklogTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task Counts_entries_never_delivered_and_those_delivered_but_not_acknowledged()
    {
        Assert.Equal(0, await WorkBacklog.ReadAsync(_redis.Db));

        await _redis.Db.StreamCreateConsumerGroupAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, StreamPosition.Beginning, createStream: true);
        for (var i = 0; i < 3; i++)
        {
            await _redis.Db.StreamAddAsync(RedisKeys.AgentsWork, "incident", $"inc_{i}");
        }

        Assert.Equal(3, await WorkBacklog.ReadAsync(_redis.Db));

        var delivered = await _redis.Db.StreamReadGroupAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, "worker-1", ">", count: 2);
        Assert.Equal(3, await WorkBacklog.ReadAsync(_redis.Db)); // one waiting, two in progress

        await _redis.Db.StreamAcknowledgeAsync(RedisKeys.AgentsWork, RedisKeys.AgentsGroup, delivered[0].Id);
        Assert.Equal(2, await WorkBacklog.ReadAsync(_redis.Db));
    }
}
