using System.Globalization;

namespace IncidentOps.Bench;

/// <param name="Redis">host:port of a redis-server to use (flushed by the bench!); null = start a private one on a free port.</param>
/// <param name="Demo">Instead of benchmarking, add this many generated incidents to the Redis given (not flushed).</param>
public sealed record BenchOptions(string? Redis, int Count, int Runs, int? Demo)
{
    public static BenchOptions Parse(string[] args)
    {
        string? redis = null;
        int count = 100_000, runs = 7;
        int? demo = null;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--redis": redis = args[i + 1]; break;
                case "--count": count = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--demo": demo = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; known: --redis host:port, --count N, --runs N, --demo N.");
            }
        }

        if (demo is not null && redis is null)
        {
            throw new ArgumentException("--demo needs --redis host:port of the system to load (the AppHost's redis).");
        }

        return new BenchOptions(redis, count, runs, demo);
    }
}
