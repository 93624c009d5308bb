using System.Globalization;

namespace IncidentOps.Bench;

/// <summary>
/// Options of the load benches (<c>ingest</c>, <c>fanout</c>, <c>storm</c>). Without <see cref="Api"/> each starts its own
/// system (redis-server, the API, the agents when needed) from the built output; with it, it drives that running system.
/// </summary>
public sealed record LoadOptions
{
    public string? Api { get; init; }
    public string? Redis { get; init; }
    public double Seconds { get; init; } = 60;
    public int Connections { get; init; } = 32;
    /// <summary>Alerts per second to offer; 0 = as fast as the connections go (closed loop, like wrk).</summary>
    public double Rate { get; init; }
    public double NewShare { get; init; } = 0.2;
    public int Subscribers { get; init; } = 500;
    public int Burst { get; init; } = 200;
    public double ProbeEverySeconds { get; init; } = 2;
    /// <summary>The checkout whose built API and agents to start (default: the one this bench is in), e.g. a "before" commit.</summary>
    public string? Root { get; init; }
    /// <summary>
    /// The redis-server <c>appendfsync</c> policies to run with (<c>everysec</c>, <c>always</c>, <c>no</c>); <c>ingest</c> given
    /// several measures each in turn in the same run (<c>--appendfsync everysec,always</c>) and prints their ratio.
    /// </summary>
    public IReadOnlyList<string> AppendFsync { get; init; } = ["everysec"];
    /// <summary><c>soak</c>: minutes of steady load.</summary>
    public double Minutes { get; init; } = 30;
    /// <summary><c>soak</c>: seconds between samples of every process's memory and Redis <c>used_memory</c>.</summary>
    public double SampleSeconds { get; init; } = 5;
    /// <summary><c>soak</c>: the Redis memory (MB) the retention should keep it under; the projection is checked against it.</summary>
    public double? RedisBoundMb { get; init; }

    public static LoadOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadOptions();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            var value = args[i + 1];
            double Number() => double.Parse(value, CultureInfo.InvariantCulture);
            options = args[i] switch
            {
                "--api" => options with { Api = value },
                "--redis" => options with { Redis = value },
                "--seconds" => options with { Seconds = Number() },
                "--connections" => options with { Connections = (int)Number() },
                "--rate" => options with { Rate = Number() },
                "--new-share" => options with { NewShare = Number() },
                "--subscribers" => options with { Subscribers = (int)Number() },
                "--burst" => options with { Burst = (int)Number() },
                "--probe-every" => options with { ProbeEverySeconds = Number() },
                "--root" => options with { Root = value },
                "--appendfsync" => options with { AppendFsync = FsyncPolicies(value) },
                "--minutes" => options with { Minutes = Number() },
                "--sample-every" => options with { SampleSeconds = Number() },
                "--redis-bound-mb" => options with { RedisBoundMb = Number() },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}; known: --api URL --redis host:port --seconds S --connections N --rate R --new-share F --subscribers N --burst N --probe-every S --root DIR --appendfsync everysec[,always] --minutes M --sample-every S --redis-bound-mb MB."),
            };
        }

        return options;
    }

    private static string[] FsyncPolicies(string value)
    {
        var policies = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return policies.Length > 0 && policies.All(p => p is "everysec" or "always" or "no")
            ? policies
            : throw new ArgumentException($"--appendfsync takes everysec, always or no (comma-separated to compare); got '{value}'.");
    }
}
