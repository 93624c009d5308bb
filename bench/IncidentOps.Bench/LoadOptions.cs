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
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}; known: --api URL --redis host:port --seconds S --connections N --rate R --new-share F --subscribers N --burst N --probe-every S --root DIR."),
            };
        }

        return options;
    }
}
