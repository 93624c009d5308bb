using System.Globalization;

namespace IncidentOps.Bench;

/// <param name="Redis">host:port of a redis-server to use (flushed!); null = start a private one on a free port.</param>
public sealed record BenchOptions(string? Redis, int Count, int Runs)
{
    public static BenchOptions Parse(string[] args)
    {
        string? redis = null;
        int count = 100_000, runs = 7;
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--redis": redis = args[i + 1]; break;
                case "--count": count = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; known: --redis host:port, --count N, --runs N.");
            }
        }

        return new BenchOptions(redis, count, runs);
    }
}
