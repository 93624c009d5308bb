using IncidentOps.Bench;

// Business-metrics scale bench: see bench/README.md. Usage: dotnet run -c Release --project bench/IncidentOps.Bench [-- --redis host:port] [--count N] [--runs N]
var options = BenchOptions.Parse(args);
await using var redis = await BenchRedis.StartAsync(options.Redis);
await new MetricsBench(redis.Connection, options, Console.Out).RunAsync();
