using IncidentOps.Testing;

namespace IncidentOps.Bench.Tests;

/// <summary>
/// The retrieval bench runs end to end on a small corpus, in seconds (CI runs this; the figures come from the full
/// run in bench/README.md). No timing is asserted: what must hold at any size is that the index serves searches and
/// that an incident resolved after the index was built is found by the next search without a rebuild.
/// </summary>
public sealed class RetrievalBenchTests : IAsyncLifetime
{
    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public async Task The_retrieval_bench_indexes_new_resolutions_incrementally_and_reports_its_figures()
    {
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{_redis.ConnectionString},allowAdmin=true");
        var output = new StringWriter();

        var result = await RetrievalBench.RunAsync(admin, new RetrievalBenchOptions(null, Count: 40, Queries: 20, ResolveEvery: 5, Baselines: 1), output);

        Assert.Equal(4, result.Resolved);
        Assert.Equal(result.Resolved, result.FoundNewlyResolved);
        // 40 stored, 4 resolved during the run, plus the shipped runbooks.
        Assert.True(result.Indexed >= 44, $"{result.Indexed} documents");
        Assert.Contains("p95", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("baseline", output.ToString(), StringComparison.Ordinal);
    }
}
