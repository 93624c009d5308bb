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
    /// <summary>
    /// How many groups (service, component, alert) the load's new alerts are spread over: the correlator opens one incident
    /// per group, all in the load's first seconds, and the rest of the new alerts join them.
    /// </summary>
    public int Groups { get; init; } = 300;
    public int Subscribers { get; init; } = 500;
    public int Burst { get; init; } = 200;
    public double ProbeEverySeconds { get; init; } = 2;
    /// <summary><c>storm</c>: new incidents sent one at a time after the warm-up and before the storm (the floor with no load).</summary>
    public int LoneProbes { get; init; } = 5;
    /// <summary><c>fanout</c>: hub clients connect to a second API process (the hub apart from intake), POSTs to the first.</summary>
    public bool HubApart { get; init; }

    /// <summary>
    /// Pins the services this bench starts (<c>taskset</c>): the API and Redis on CPU 0, the hub process (with
    /// <see cref="HubApart"/>) on CPU 1, as if on machines of their own; the load generator (this process) is not pinned.
    /// </summary>
    public bool Pin { get; init; }

    /// <summary><c>fanout</c>: clients that subscribe and then stop reading (a small receive buffer) until everyone else got the burst.</summary>
    public int Stalled { get; init; }

    /// <summary><c>fanout</c>: the hub's <c>Hub:MaxQueuedFrames</c> (frames a connection may have waiting before a resync), when set.</summary>
    public int? QueueFrames { get; init; }

    /// <summary>
    /// <c>fanout</c>: seconds of alerts at the run's rate (in incidents of their own) after the clients subscribed and before the
    /// measured window, so the API is measured warm (its JIT done, its pools full) as a production API is; 0 = measured cold.
    /// </summary>
    public double WarmUpSeconds { get; init; }

    /// <summary>
    /// <c>fanout</c>: the hub method the screens watch with: <c>WatchFrames</c> (frames as invocations written straight to the
    /// socket, what the dashboards use) or <c>SubscribeFrames</c> (frames as SignalR stream items).
    /// </summary>
    public string HubMethod { get; init; } = "WatchFrames";

    /// <summary><c>fanout</c>: run without the agents worker (only the alerts' own events on the stream).</summary>
    public bool NoAgents { get; init; }

    /// <summary>The checkout whose built API and agents to start (default: the one this bench is in), e.g. a "before" commit.</summary>
    public string? Root { get; init; }

    /// <summary>
    /// A folder of published services (<c>DIR/IncidentOps.Api/IncidentOps.Api.dll</c>, one <c>dotnet publish -o</c> output per
    /// project, e.g. ReadyToRun): a service found there is started from it instead of its build output under <see cref="Root"/>.
    /// </summary>
    public string? Published { get; init; }

    /// <summary><c>startup</c>: how many starts of each build (alternating).</summary>
    public int Runs { get; init; } = 3;
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

    /// <summary><c>soak</c>: resolve (through the API, as a responder) incidents detected more than this many seconds ago; 0 = never.</summary>
    public double ResolveAfterSeconds { get; init; }

    /// <summary><c>soak</c>: how often the resolver looks for incidents to resolve.</summary>
    public double ResolveEverySeconds { get; init; } = 10;

    /// <summary><c>soak</c>: the metrics worker's <c>Retention:EventsHours</c>, in minutes, so the run reaches it; null = the default (7 days).</summary>
    public double? KeepEventsMinutes { get; init; }

    /// <summary><c>soak</c>: <c>Retention:ResolvedIncidentDays</c> and <c>Retention:DedupGraceHours</c>, in minutes; null = the defaults.</summary>
    public double? KeepResolvedMinutes { get; init; }

    /// <summary>
    /// Settings (environment variables) for the API processes this bench starts, e.g. <c>Ingest__Admission__MaxInFlight=8</c>
    /// or a runtime knob (<c>DOTNET_...</c>), to compare one system with and without it in the same build.
    /// </summary>
    public IReadOnlyDictionary<string, string> ApiSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>Settings (environment variables) for the agents worker this bench starts.</summary>
    public IReadOnlyDictionary<string, string> AgentsSettings { get; init; } = new Dictionary<string, string>();

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
                "--groups" => options with { Groups = Math.Max(1, (int)Number()) },
                "--subscribers" => options with { Subscribers = (int)Number() },
                "--burst" => options with { Burst = (int)Number() },
                "--probe-every" => options with { ProbeEverySeconds = Number() },
                "--lone" => options with { LoneProbes = (int)Number() },
                // Absolute now: the bench starts each service in its own folder, where a relative root no longer resolves.
                "--root" => options with { Root = Path.GetFullPath(value) },
                "--runs" => options with { Runs = Math.Max(1, (int)Number()) },
                "--published" => options with { Published = Directory.Exists(value) ? Path.GetFullPath(value) : throw new ArgumentException($"--published {value}: no such folder (dotnet publish PROJECT -o {value}/PROJECT).") },
                "--hub-apart" => options with { HubApart = value == "true" },
                "--pin" => options with { Pin = value == "true" },
                "--stalled" => options with { Stalled = (int)Number() },
                "--queue-frames" => options with { QueueFrames = (int)Number() },
                "--agents" => options with { NoAgents = value == "false" },
                "--hub-method" => options with { HubMethod = value is "WatchFrames" or "SubscribeFrames" ? value : throw new ArgumentException($"--hub-method {value}: WatchFrames or SubscribeFrames.") },
                "--warm-up" => options with { WarmUpSeconds = Number() },
                "--appendfsync" => options with { AppendFsync = FsyncPolicies(value) },
                "--minutes" => options with { Minutes = Number() },
                "--sample-every" => options with { SampleSeconds = Number() },
                "--redis-bound-mb" => options with { RedisBoundMb = Number() },
                "--resolve-after" => options with { ResolveAfterSeconds = Number() },
                "--resolve-every" => options with { ResolveEverySeconds = Number() },
                "--keep-events-minutes" => options with { KeepEventsMinutes = Number() },
                "--keep-resolved-minutes" => options with { KeepResolvedMinutes = Number() },
                "--api-setting" => options with { ApiSettings = With(options.ApiSettings, value) },
                "--agents-setting" => options with { AgentsSettings = With(options.AgentsSettings, value) },
                _ => throw new ArgumentException(
                    $"Unknown option {args[i]}; known: --api URL --redis host:port --seconds S --connections N --rate R --new-share F --groups N --subscribers N --burst N --probe-every S --lone N --root DIR --published DIR --runs N --appendfsync everysec[,always] --minutes M --sample-every S --redis-bound-mb MB --resolve-after S --resolve-every S --keep-events-minutes M --keep-resolved-minutes M --api-setting KEY=VALUE --agents-setting KEY=VALUE --hub-apart true|false --pin true|false --stalled N --queue-frames N --agents true|false --hub-method WatchFrames|SubscribeFrames --warm-up S."),
            };
        }

        return options;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> settings, string pair)
    {
        var equals = pair.IndexOf('=', StringComparison.Ordinal);
        return equals > 0
            ? new Dictionary<string, string>(settings) { [pair[..equals]] = pair[(equals + 1)..] }
            : throw new ArgumentException($"--api-setting and --agents-setting take KEY=VALUE (an environment variable of that process); got '{pair}'.");
    }

    private static string[] FsyncPolicies(string value)
    {
        var policies = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return policies.Length > 0 && policies.All(p => p is "everysec" or "always" or "no")
            ? policies
            : throw new ArgumentException($"--appendfsync takes everysec, always or no (comma-separated to compare); got '{value}'.");
    }
}
