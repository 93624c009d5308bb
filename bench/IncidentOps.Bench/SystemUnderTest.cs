using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using IncidentOps.Core;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Bench;

/// <summary>
/// The running system a load bench drives: a private redis-server (AOF on, as the AppHost runs it), the API and, when asked,
/// the agents worker, each started from its built output as its own process (so the load generator, this process, is measured
/// apart from them). With <c>--api</c> and <c>--redis</c> it drives a system that is already running instead.
/// </summary>
public sealed class SystemUnderTest : IAsyncDisposable
{
    public const string IngestToken = "dev-ingest-token";
    private readonly List<Process> _processes = [];
    private readonly List<ServiceLog> _logs = [];
    private string? _dataDir;
    private Uri? _agents;

    public required Uri Api { get; init; }

    public required ConnectionMultiplexer Redis { get; init; }

    /// <summary>The API's process when this bench started it (its memory is read from /proc), else null.</summary>
    public Process? ApiProcess { get; private set; }

    public Process? AgentsProcess { get; private set; }

    /// <summary>When the API's process was started (a <see cref="Stopwatch"/> timestamp), when this bench started it.</summary>
    public long? ApiStartedAt { get; private set; }

    /// <summary>From the API's process start to its first <c>/health</c> 200 (polled every 10 ms), when this bench started it.</summary>
    public TimeSpan? ApiHealthyAfter { get; private set; }

    /// <summary>
    /// Where hub clients connect: the API itself, or with <see cref="LoadOptions.HubApart"/> a second API process that only
    /// serves the hub (every API tails <c>ops:events</c> itself, so a second one is the hub in a service of its own).
    /// </summary>
    public Uri HubApi => _hubApi ?? Api;

    /// <summary>The process hub clients connect to (the hub-only API when apart).</summary>
    public Process? HubProcess => _hubProcess ?? ApiProcess;

    private Uri? _hubApi;
    private Process? _hubProcess;

    public Process? MetricsProcess { get; private set; }

    /// <summary>The redis-server this bench started, else null.</summary>
    public Process? RedisProcess { get; private set; }

    public static async Task<SystemUnderTest> StartAsync(LoadOptions options, bool withAgents, IDictionary<string, string>? apiSettings = null, string? appendFsync = null, bool withMetrics = false, IDictionary<string, string>? metricsSettings = null)
    {
        if (options.Api is { } running)
        {
            var external = await BenchRedis.ConnectAsync(options.Redis ?? throw new ArgumentException("--api needs --redis host:port of the same system (to check durability)."));
            return new SystemUnderTest { Api = new Uri(running), Redis = external };
        }

        var dataDir = Directory.CreateTempSubdirectory("incidentops-bench-").FullName;
        var redisPort = BenchRedis.FreePort();
        var redis = Process.Start(new ProcessStartInfo(options.Pin ? "taskset" : "redis-server",
            [.. Pinned(options.Pin, IntakeCpu, "redis-server"), "--port", Port(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--appendfsync", appendFsync ?? options.AppendFsync[0], "--dir", dataDir])
        { RedirectStandardOutput = true, UseShellExecute = false }) ?? throw new InvalidOperationException("redis-server did not start (apt-get install redis-server).");
        var connection = await BenchRedis.ConnectAsync($"127.0.0.1:{Port(redisPort)}");

        var apiPort = BenchRedis.FreePort();
        var redisConnection = $"127.0.0.1:{Port(redisPort)}";
        // As the AppHost starts the API: its GC settings from the environment first (a run's --api-setting may replace them).
        var settings = new Dictionary<string, string>(ApiGcEnvironment.Variables)
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port(apiPort)}",
            ["ConnectionStrings__redis"] = redisConnection,
            ["Logging__LogLevel__Default"] = "Warning",
            // One API key stands in for thousands of screens: lift the per-identity limits meant for people.
            ["Hub__MaxConnectionsPerIdentity"] = "1000000",
            ["Hub__MaxStreamsPerIdentity"] = "1000000",
            ["RateLimits__PerIdentityPerSecond"] = "1000000",
            ["RateLimits__PerIdentityBurst"] = "1000000",
        };
        foreach (var (key, value) in (apiSettings ?? new Dictionary<string, string>()).Concat(options.ApiSettings))
        {
            settings[key] = value;
        }

        var system = new SystemUnderTest { Api = new Uri($"http://127.0.0.1:{Port(apiPort)}"), Redis = connection, _dataDir = dataDir };
        system._processes.Add(redis);
        system.RedisProcess = redis;
        if (options.HubApart)
        {
            // The production split (Api:Role): intake and REST in one process, the hub (and its tail of ops:events) in the other.
            var hubPort = BenchRedis.FreePort();
            system._hubApi = new Uri($"http://127.0.0.1:{Port(hubPort)}");
            system._hubProcess = system.StartService(options, "IncidentOps.Api", new Dictionary<string, string>(settings)
            {
                ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port(hubPort)}",
                ["Api__Role"] = "hub",
            }, options.Pin ? HubCpu : null);
            settings["Api__Role"] = "api";
        }

        system.ApiStartedAt = Stopwatch.GetTimestamp();
        system.ApiProcess = system.StartService(options, "IncidentOps.Api", settings, options.Pin ? IntakeCpu : null);

        Uri? metricsUrl = null;
        if (withAgents)
        {
            (system._agents, system.AgentsProcess) = system.StartWorker(options, "IncidentOps.Agents", redisConnection, new Dictionary<string, string>(options.AgentsSettings));
        }

        if (withMetrics)
        {
            (metricsUrl, system.MetricsProcess) = system.StartWorker(options, "IncidentOps.Metrics", redisConnection, metricsSettings);
        }

        await WaitHealthyAsync(system.Api, system.ApiProcess, TimeSpan.FromSeconds(180));
        system.ApiHealthyAfter = Stopwatch.GetElapsedTime(system.ApiStartedAt.Value);
        if (system._hubApi is { } hub)
        {
            await WaitHealthyAsync(hub, system._hubProcess, TimeSpan.FromSeconds(180));
        }
        if (system._agents is { } agents)
        {
            await WaitHealthyAsync(agents, system.AgentsProcess, TimeSpan.FromSeconds(180));
        }

        if (metricsUrl is not null)
        {
            await WaitHealthyAsync(metricsUrl, system.MetricsProcess, TimeSpan.FromSeconds(180));
        }

        return system;
    }

    /// <summary>An API key with the viewer role, written the way the admin API writes one (hub clients present it).</summary>
    public Task<string> CreateViewerKeyAsync() => CreateKeyAsync("viewer");

    /// <summary>An API key with <paramref name="role"/>, written the way the admin API writes one.</summary>
    public async Task<string> CreateKeyAsync(string role) =>
        (await new ApiKeyStore(Redis, TimeProvider.System).CreateAsync("bench", role, "bench")).Secret;

    /// <summary>Resident memory of a process in bytes (Linux /proc), or null.</summary>
    public static long? ResidentBytes(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return null;
        }

        var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? null : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }

    public static TimeSpan CpuTime(Process? process)
    {
        if (process is null || process.HasExited)
        {
            return TimeSpan.Zero;
        }

        process.Refresh();
        return process.TotalProcessorTime;
    }

    private (Uri Url, Process Process) StartWorker(LoadOptions options, string project, string redisConnection, IDictionary<string, string>? extra = null)
    {
        var url = new Uri($"http://127.0.0.1:{Port(BenchRedis.FreePort())}");
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["ASPNETCORE_URLS"] = url.ToString().TrimEnd('/'),
            ["ConnectionStrings__redis"] = redisConnection,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return (url, StartService(options, project, settings));
    }

    /// <summary>With <c>--pin</c>: the CPU of intake (the API and Redis) and that of the hub process.</summary>
    private const string IntakeCpu = "0";
    private const string HubCpu = "1";

    /// <summary>The command line that runs <paramref name="program"/>, on <paramref name="cpu"/> through taskset when pinned.</summary>
    private static string[] Pinned(bool pin, string cpu, string program) => pin ? ["-c", cpu, program] : [];

    private Process StartService(LoadOptions options, string project, IDictionary<string, string> settings, string? cpu = null)
    {
        var dll = ServiceDll(options, project);

        // taskset execs the program, so the process (its id, CPU time and memory) is the service's own.
        var start = new ProcessStartInfo(cpu is null ? "dotnet" : "taskset", cpu is null ? [dll] : ["-c", cpu, "dotnet", dll]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{project} did not start.");
        // Drain its output so a chatty service never blocks on a full pipe: into a file kept after the run (a storm's
        // failed work items are logged there), with its warnings and failures counted; errors go to ours.
        var log = new ServiceLog(project, process.Id);
        _logs.Add(log);
        process.OutputDataReceived += (_, e) => log.Write(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 }) Console.Error.WriteLine($"[{project}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add(process);
        return process;
    }

    /// <summary>
    /// The service's assembly: from <see cref="LoadOptions.Published"/> when it holds the project, else the build output of
    /// <see cref="LoadOptions.Root"/> (or this checkout) in the bench's own configuration.
    /// </summary>
    public static string ServiceDll(LoadOptions options, string project)
    {
        if (options.Published is { } published && Path.Combine(published, project, $"{project}.dll") is var publishedDll && File.Exists(publishedDll))
        {
            return publishedDll;
        }

        var dll = Path.Combine(options.Root ?? RepositoryRoot(), project, "bin", Configuration, "net10.0", $"{project}.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException($"{dll} is not built: dotnet build -c {Configuration} {project}");
    }

    private static async Task WaitHealthyAsync(Uri service, Process? process, TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = service, Timeout = TimeSpan.FromSeconds(2) };
        var until = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            if (process is { HasExited: true })
            {
                throw new InvalidOperationException($"The service at {service} exited with code {process.ExitCode}.");
            }

            if (until.Elapsed > timeout)
            {
                throw new TimeoutException($"The service at {service} did not answer /health within {timeout.TotalSeconds} s.");
            }

            // Often enough to time a start-up (the startup command) to ~10 ms; a refused connection costs next to nothing.
            await Task.Delay(10);
        }
    }

    /// <summary>The build configuration this bench was built in: the services are taken from the same one.</summary>
    private static string Configuration =>
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    private static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IncidentOps.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository, or name one with --root.");
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await Redis.DisposeAsync();
        foreach (var process in Enumerable.Reverse(_processes))
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        if (_dataDir is not null)
        {
            Directory.Delete(_dataDir, recursive: true);
        }

        foreach (var log in _logs)
        {
            Console.Error.WriteLine(log.Close());
        }
    }

    /// <summary>A started service's standard output, written to a file under the temp folder and kept.</summary>
    private sealed class ServiceLog(string project, int processId) : IDisposable
    {
        private readonly StreamWriter _file = new(Path.Combine(Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "incidentops-bench-logs")).FullName,
            $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{project}-{processId}.log"));
        private int _warnings;
        private int _failures;

        public void Write(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_file)
            {
                // The console logger's level prefixes: "warn:" and "fail:"/"crit:".
                _warnings += line.StartsWith("warn:", StringComparison.Ordinal) ? 1 : 0;
                _failures += line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal) ? 1 : 0;
                _file.WriteLine(line);
            }
        }

        /// <summary>Closes the file and says what it holds.</summary>
        public string Close()
        {
            var name = ((FileStream)_file.BaseStream).Name;
            Dispose();
            return $"[{project}] log: {_warnings} warnings, {_failures} failures in {name}";
        }

        public void Dispose()
        {
            lock (_file)
            {
                _file.Dispose();
            }
        }
    }
}
