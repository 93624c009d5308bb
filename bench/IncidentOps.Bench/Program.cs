using IncidentOps.Testing;
using IncidentOps.Bench;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;

// The benches: see bench/README.md.
//   dotnet run -c Release --project bench/IncidentOps.Bench [-- --redis host:port] [--count N] [--runs N]   (business metrics)
//   dotnet run -c Release --project bench/IncidentOps.Bench -- --redis host:port --demo N
//   dotnet run -c Release --project bench/IncidentOps.Bench -- ingest|fanout|storm [--seconds S] [...]
//   dotnet run -c Release --project bench/IncidentOps.Bench -- startup [--runs 3] [--published DIR]
//   dotnet run -c Release --project bench/IncidentOps.Bench -- soak [--minutes 30] [--rate 20] [--sample-every 5]
//   dotnet run --project bench/IncidentOps.Bench -- --demo-snapshot IncidentOps.Web/public/demo-snapshot.json [--scenarios tests/scenarios] [--count N]
//   dotnet run -c Release --project bench/IncidentOps.Bench -- retrieval [--count 10000] [--queries 500]
switch (args.FirstOrDefault())
{
    case "--demo-snapshot" when args.Length > 1:
    {
        var rest = args.Skip(2).Chunk(2).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        await DemoSnapshot.WriteAsync(args[1], rest.GetValueOrDefault("--scenarios", "tests/scenarios"),
            int.Parse(rest.GetValueOrDefault("--count", "1200"), System.Globalization.CultureInfo.InvariantCulture));
        return 0;
    }

    case "ingest":
        return await IngestBench.RunAsync(LoadOptions.Parse(args[1..]), Console.Out);
    case "fanout":
        return await FanoutBench.RunAsync(LoadOptions.Parse(args[1..]), Console.Out);
    case "startup":
        return await StartupBench.RunAsync(LoadOptions.Parse(args[1..]), Console.Out);
    case "storm":
        return await StormBench.RunAsync(LoadOptions.Parse(args[1..]), Console.Out);
    case "soak":
        return await SoakBench.RunAsync(LoadOptions.Parse(args[1..]), Console.Out);
    case "retrieval":
        return await RetrievalBench.RunCommandAsync(args[1..], Console.Out);
    case "baseline-server":
        await IncidentOps.Bench.Load.BaselineServer.RunAsync(args[1]);
        return 0;
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

return 0;
