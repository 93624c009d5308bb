using IncidentOps.Testing;
using IncidentOps.Bench;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;

// Business-metrics scale bench and demo loader: see bench/README.md.
//   dotnet run -c Release --project bench/IncidentOps.Bench [-- --redis host:port] [--count N] [--runs N]
//   dotnet run -c Release --project bench/IncidentOps.Bench -- --redis host:port --demo N
//   dotnet run -c Release --project bench/IncidentOps.Bench -- retrieval [--count 10000] [--queries 500]
if (args is ["retrieval", .. var retrievalArgs])
{
    // The local engine's retrieval at 10,000 resolved incidents: see bench/README.md.
    var retrieval = RetrievalBenchOptions.Parse(retrievalArgs);
    await using var retrievalRedis = await BenchRedis.StartAsync(retrieval.Redis);
    await RetrievalBench.RunAsync(retrievalRedis.Connection, retrieval, Console.Out);
    return;
}

var options = BenchOptions.Parse(args);
await using var redis = await BenchRedis.StartAsync(options.Redis);
if (options.Demo is { } count)
{
    // Adds a 30-day history to a running system (nothing is flushed): the API's business figures show it at once.
    var history = new IncidentHistoryGenerator((ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds())
        .Generate(count, DateTimeOffset.UtcNow, TimeSpan.FromDays(30), openShare: 0.03).ToList();
    await new HistoryLoader(redis.Connection).StoreAsync(history);
    await new FactStore(redis.Connection, new IncidentStore(redis.Connection)).SaveAsync([.. history.Select(h => h.Fact)]);
    Console.WriteLine($"Loaded {history.Count} generated incidents (30 days) into {options.Redis}.");
}
else
{
    await new MetricsBench(redis.Connection, options, Console.Out).RunAsync();
}
