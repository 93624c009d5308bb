using IncidentOps.Testing;
using IncidentOps.Bench;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;

// Business-metrics scale bench, demo loader and the executive view's demo snapshot: see bench/README.md.
//   dotnet run -c Release --project bench/IncidentOps.Bench [-- --redis host:port] [--count N] [--runs N]
//   dotnet run -c Release --project bench/IncidentOps.Bench -- --redis host:port --demo N
//   dotnet run --project bench/IncidentOps.Bench -- --demo-snapshot IncidentOps.Web/public/demo-snapshot.json [--scenarios tests/scenarios] [--count N]
if (args.Length > 1 && args[0] == "--demo-snapshot")
{
    var rest = args.Skip(2).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
    await DemoSnapshot.WriteAsync(args[1], rest.GetValueOrDefault("--scenarios", "tests/scenarios"), int.Parse(rest.GetValueOrDefault("--count", "1200"), System.Globalization.CultureInfo.InvariantCulture));
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
