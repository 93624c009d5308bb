using System.Diagnostics;
using System.Globalization;
using System.Text;
using IncidentOps.Bench.Load;
using IncidentOps.Core.Storage;

namespace IncidentOps.Bench;

/// <summary>
/// <c>fanout</c>: N SignalR clients (WebSockets) subscribed to the hub; new alerts at a given rate, then a burst. For every
/// alert every client must receive its <c>alert.received</c>: latency from the POST to each receipt, deliveries per second
/// (every event every client got), alerts missed or received twice (must be 0), and the API's resident memory per connection.
/// </summary>
public static class FanoutBench
{
    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        output.WriteLine($"fanout: {Machine.Describe()}");
        var rate = options.Rate > 0 ? options.Rate : 50;
        var steadyCount = (int)(rate * options.Seconds);
        output.WriteLine($"  {options.Subscribers} subscribers (+{options.Stalled} that stop reading), alerts at {rate.ToString(CultureInfo.InvariantCulture)}/s for {options.Seconds} s, then a burst of {options.Burst}; hub {(options.HubApart ? "in a second API process (apart from intake)" : "in the API process")}; agents {(options.NoAgents ? "off" : "on")}; screens watch with {options.HubMethod}");
        var hubSettings = options.QueueFrames is { } frames ? new Dictionary<string, string> { ["Hub__MaxQueuedFrames"] = frames.ToString(CultureInfo.InvariantCulture) } : null;
        await using var system = await SystemUnderTest.StartAsync(options, withAgents: !options.NoAgents, hubSettings);
        var key = await system.CreateViewerKeyAsync();
        var run = new FanoutRun(steadyCount + options.Burst, steadyCount);
        using var http = MixedLoad.Client(system.Api, 8);

        // A freshly started system stalls for seconds on its first alerts, and the other benches warm up too. Measured: without
        // this, the first seconds of the steady phase held the worst alerts of every cold run (bench/README.md, session 8).
        var warmUp = await WarmUpAsync(http, run.Id, system);
        var memoryBefore = SystemUnderTest.ResidentBytes(system.HubProcess);

        // Subscribe from the newest id (not "from now on"): whatever is appended while the clients connect is replayed, so a
        // client cannot miss an alert sent before its subscription reached the hub.
        var afterId = await new OpsEventLog(system.Redis).LastIdAsync();
        using var reactor = new EpollReactor(2 * Environment.ProcessorCount);
        var clients = new List<Client>(options.Subscribers);
        var stalled = new List<Client>(options.Stalled);
        var connect = Stopwatch.StartNew();

        // 32 connections at a time, each on a thread that waits for its upgrade (the clients' sockets are blocking; the
        // reactor reads them once subscribed).
        const int Connectors = 32;
        var total = options.Subscribers + options.Stalled;
        await Task.WhenAll(Enumerable.Range(0, Connectors).Select(connector => Task.Factory.StartNew(() =>
        {
            for (var i = connector; i < total; i += Connectors)
            {
                var isStalled = i >= options.Subscribers;
                var client = Client.Connect(system.HubApi, key, afterId, options.HubMethod, reactor, run, read: !isStalled, receiveBufferBytes: isStalled ? 4096 : null);
                lock (clients)
                {
                    (isStalled ? stalled : clients).Add(client);
                }
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)));
        var memoryConnected = SystemUnderTest.ResidentBytes(system.HubProcess);
        output.WriteLine($"  warm-up before the clients connected: {warmUp.Accepted} of {WarmUpAlerts} alerts (in {WarmUpGroups} incidents of their own) accepted, the log quiet again {(warmUp.Quiet ? "" : "NOT ")}after {warmUp.Took.TotalSeconds:0.0} s");
        output.WriteLine($"  {clients.Count + stalled.Count} connected and subscribed in {connect.Elapsed.TotalSeconds:0.0} s");
        using var pings = SpreadPings.Start([.. clients.Concat(stalled).Select(c => c.Raw)], TimeSpan.FromSeconds(15));

        // Warm: alerts flow to every screen for a while before the window, straight into it (a production API is not seconds old:
        // session 15 found 15 % of a cold window's API CPU in the tiered JIT). Their incidents are their own, so the window opens
        // as many new incidents (and agent runs) as a cold one; their dedup keys are not the run's, so no client counts them.
        if (options.WarmUpSeconds > 0)
        {
            var warmClock = Stopwatch.StartNew();
            var warmed = await PostAsync(http, run, "w", (int)(rate * options.WarmUpSeconds), rate);
            output.WriteLine($"  warm: {warmed} alerts at {rate.ToString(CultureInfo.InvariantCulture)}/s to the subscribed clients over {warmClock.Elapsed.TotalSeconds:0.0} s before the measured window");
        }

        var (eventsBefore, framesBefore, bytesBefore) = (clients.Sum(c => c.Raw.Events), clients.Sum(c => c.Raw.Frames), clients.Sum(c => c.Raw.Bytes));

        // The log from here on is what the measured phases made the hub send (the warm-up's events are before it).
        var windowFromId = await new OpsEventLog(system.Redis).LastIdAsync();
        run.OpenWindow();
        var cpu = CpuMeter.Start(system);
        using var stalls = StallMeter.Start();
        var steady = await PostAsync(http, run, "r", steadyCount, rate);
        var steadyDone = await WaitDeliveredAsync(clients, steady, TimeSpan.FromSeconds(60));
        var steadyCpu = cpu.Stop();
        var steadyStalls = stalls.Stop();
        var steadyEvents = clients.Sum(c => c.Raw.Events) - eventsBefore;
        var steadyFrames = clients.Sum(c => c.Raw.Frames) - framesBefore;
        var steadyStats = run.TakeLatencies();
        var steadySplit = run.TakeSplit();
        var steadyPosts = run.TakePostLatencies();
        var deliveriesBefore = clients.Sum(c => c.Raw.Events);
        var burstClock = Stopwatch.StartNew();
        var burst = await PostAsync(http, run, "b", options.Burst, rate: 0);
        var burstDone = await WaitDeliveredAsync(clients, steady + burst, TimeSpan.FromSeconds(180));
        var burstTook = burstClock.Elapsed;
        var burstDeliveries = clients.Sum(c => c.Raw.Events) - deliveriesBefore;
        var burstStats = run.TakeLatencies();
        var burstSplit = run.TakeSplit();
        var memoryPeak = run.PeakRss;

        // The stalled clients read again: each must find its stream ended with a resync (or, if the hub kept up, everything).
        stalled.ForEach(c => c.Raw.StartReading());
        await Eventually(() => stalled.All(c => c.Raw.Ended is not null || c.Alerts >= steady + burst), TimeSpan.FromSeconds(60), "every stalled client resynced or caught up");

        var expected = steady + burst;
        var missed = clients.Sum(c => Math.Max(0, expected - c.Alerts));
        var disorder = clients.Sum(c => c.Raw.OutOfOrder);
        var resyncs = clients.Count(c => c.Raw.Resynced);
        output.WriteLine($"  load average after: {Machine.LoadAverage()}");
        output.WriteLine("| phase | alerts | every client got all | p50 ms | p99 ms | max ms | deliveries/s (events) |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        output.WriteLine($"| {rate}/s for {options.Seconds} s | {steady} | {(steadyDone ? "yes" : "NO")} | {steadyStats.P50} | {steadyStats.P99} | {steadyStats.Max} | {steadyStats.PerSecond:0} alert receipts/s, {steadyEvents / steadyCpu.Seconds:0} events/s |");
        output.WriteLine($"| burst | {burst} | {(burstDone ? "yes" : "NO")} in {burstTook.TotalSeconds:0.0} s | {burstStats.P50} | {burstStats.P99} | {burstStats.Max} | {burstDeliveries / burstTook.TotalSeconds:0} |");
        output.WriteLine($"  the latency split at the alert's append to the log (its id's time): POST → appended p50 {steadySplit.Intake.P50} / p99 {steadySplit.Intake.P99} / max {steadySplit.Intake.Max} ms, appended → each client p50 {steadySplit.Fanout.P50} / p99 {steadySplit.Fanout.P99} / max {steadySplit.Fanout.Max} ms (burst: {burstSplit.Intake.P99} and {burstSplit.Fanout.P99} ms at p99)");
        output.WriteLine($"  the alerts that reached their last client latest (sent at; append → first–last client): steady {run.Worst(0, steadyCount, 6)}; burst {run.Worst(steadyCount, options.Burst, 3)}");
        output.WriteLine($"  POST /api/v1/events at {rate}/s while {clients.Count} watch: p50 {steadyPosts.P50} ms, p99 {steadyPosts.P99} ms (burst: p50 {run.TakePostLatencies().P50} ms)");
        output.WriteLine($"  the load generator's own stalls over the steady phase (its receipts are late by them, whatever the API did; times from the window's start): {steadyStalls}");
        output.WriteLine($"  CPU over the steady phase ({steadyCpu.Seconds:0.0} s): load generator (these clients + the POSTs) {steadyCpu.Bench:0.00} cores, API {steadyCpu.Api:0.00}, hub process {(options.HubApart ? $"{steadyCpu.Hub:0.00}" : "= API")}, agents {steadyCpu.Agents:0.00}; the machine has {Environment.ProcessorCount}");
        var hubCpu = options.HubApart ? steadyCpu.Hub : steadyCpu.Api;
        output.WriteLine($"  the hub's work over the steady phase: {steadyFrames / Math.Max(1.0, clients.Count) / steadyCpu.Seconds:0.0} frames per client per second, {steadyEvents / Math.Max(1.0, steadyFrames):0.0} events per frame; hub process CPU {hubCpu * steadyCpu.Seconds * 1e6 / Math.Max(1, steadyEvents):0.00} µs per event delivered, {hubCpu * steadyCpu.Seconds * 1e6 / Math.Max(1, steadyFrames):0.0} µs per frame delivered (intake included when the hub is in the API)");
        output.WriteLine($"  alerts posted but not answered 202 (timeouts, 503): {run.FailedPosts + steadyCount + options.Burst - expected}");
        var (events, bytes) = (clients.Sum(c => c.Raw.Events) - eventsBefore, clients.Sum(c => c.Raw.Bytes) - bytesBefore);
        output.WriteLine($"  bytes on the wire: {bytes / Math.Max(1, events):0} per event (frames and protocol included), {bytes / 1024.0 / Math.Max(1, clients.Count) / Math.Max(1, steady + burst):0.0} KiB per alert per client");
        output.WriteLine($"  events delivered in all{(options.WarmUpSeconds > 0 ? " (after the warm-up)" : "")}: {events}; alerts missed: {missed}; events out of order or doubled: {disorder}; resyncs of reading clients: {resyncs}");
        if (stalled.Count > 0)
        {
            output.WriteLine($"  stalled clients: {stalled.Count(c => c.Raw.Resynced || c.Raw.Dropped)} of {stalled.Count} told to resync or dropped by the hub ({stalled.Count(c => c.Raw.Resynced)} resync), {stalled.Count(c => c.Alerts >= expected)} caught up with everything; how they ended: {string.Join("; ", stalled.Select(c => c.Raw.Ended ?? $"{c.Alerts} alerts").Distinct().Take(3))}");
        }

        output.WriteLine($"  the log over the steady phase and the burst, by event type (count, bytes each as JSON): {await LogByTypeAsync(system, windowFromId)}");
        if (memoryBefore is { } before && memoryConnected is { } connected)
        {
            output.WriteLine($"  hub process resident memory: {Mb(before)} before, {Mb(connected)} with {clients.Count + stalled.Count} subscribed ({(connected - before) / 1024.0 / Math.Max(1, clients.Count + stalled.Count):0} KiB per connection), peak {Mb(memoryPeak)}");
        }

        await Task.WhenAll(clients.Concat(stalled).Select(c => c.Raw.DisposeAsync().AsTask()));
        var stalledOk = stalled.All(c => c.Raw.Resynced || c.Raw.Dropped || c.Alerts >= expected);
        return missed == 0 && disorder == 0 && stalledOk ? 0 : 1;

        async Task<int> PostAsync(HttpClient client, FanoutRun state, string prefix, int count, double rate)
        {
            var accepted = 0;
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>();
            using var inFlight = new SemaphoreSlim(8);
            for (var n = 0; n < count; n++)
            {
                if (rate > 0 && TimeSpan.FromSeconds(n / rate) is var due && due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed);
                }

                await inFlight.WaitAsync();
                var number = n;
                var dedup = $"{state.Id}-{prefix}-{n.ToString(CultureInfo.InvariantCulture)}";
                var warm = prefix == "w";
                sends.Add(Task.Run(async () =>
                {
                    try
                    {
                        var sent = Stopwatch.GetTimestamp();
                        if (!warm)
                        {
                            state.SentAt[state.IndexOf(prefix == "b", number)] = sent;
                        }

                        using var response = await client.PostAsync("/api/v1/events", new StringContent(MixedLoad.Body(dedup, (warm ? WarmGroups : 0) + number % 300, 0), Encoding.UTF8, "application/json"));
                        if (!warm)
                        {
                            lock (state.PostMs)
                            {
                                state.PostMs.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                            }
                        }

                        if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
                        {
                            Interlocked.Increment(ref accepted);
                        }

                        state.SampleMemory(system.HubProcess);
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // Not accepted: not expected at the clients either. Counted in the summary.
                        Interlocked.Increment(ref state.FailedPosts);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }));
            }

            await Task.WhenAll(sends);
            return accepted;
        }
    }

    private const int WarmUpAlerts = 20;

    /// <summary>The first group (service) of the warm flow's alerts: apart from the run's (0–299) and the first warm-up's (1000+).</summary>
    private const int WarmGroups = 2000;
    private const int WarmUpGroups = 4;

    /// <summary>
    /// A few alerts one at a time, in groups (services) the run does not use, so the run's own alerts open and update the same
    /// incidents as without it; their dedup keys are not the run's, so no client counts them.
    /// </summary>
    private static async Task<(int Accepted, bool Quiet, TimeSpan Took)> WarmUpAsync(HttpClient http, string runId, SystemUnderTest system)
    {
        var clock = Stopwatch.StartNew();
        var accepted = 0;
        for (var n = 0; n < WarmUpAlerts; n++)
        {
            using var response = await http.PostAsync("/api/v1/events", new StringContent(
                MixedLoad.Body($"warm-{runId}-{n.ToString(CultureInfo.InvariantCulture)}", 1000 + n % WarmUpGroups, 0), Encoding.UTF8, "application/json"));
            accepted += response.StatusCode == System.Net.HttpStatusCode.Accepted ? 1 : 0;
        }

        // Then the agents' work on those incidents: the clients connect to an idle system (the memory per idle connection).
        var quiet = await QuietAsync(system, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(60));
        return (accepted, quiet, clock.Elapsed);
    }

    /// <summary>True once nothing was appended to the log for <paramref name="quietFor"/>; false at <paramref name="timeout"/>.</summary>
    private static async Task<bool> QuietAsync(SystemUnderTest system, TimeSpan quietFor, TimeSpan timeout)
    {
        var log = new OpsEventLog(system.Redis);
        var clock = Stopwatch.StartNew();
        var (newest, since) = ((string?)null, Stopwatch.StartNew());
        while (clock.Elapsed < timeout)
        {
            var id = await log.LastIdAsync();
            if (newest != id)
            {
                (newest, since) = (id, Stopwatch.StartNew());
            }
            else if (since.Elapsed >= quietFor)
            {
                return true;
            }

            await Task.Delay(100);
        }

        return false;
    }

    /// <summary>What the hub had to send: the events appended after <paramref name="afterId"/>, counted by type with their mean size.</summary>
    private static async Task<string> LogByTypeAsync(SystemUnderTest system, string afterId)
    {
        var log = new OpsEventLog(system.Redis);
        var byType = new SortedDictionary<string, (int Count, long Bytes)>(StringComparer.Ordinal);
        var after = StreamId.Parse(afterId);
        while (true)
        {
            var page = await log.ReadAfterAsync(after, 1000);
            foreach (var evt in page)
            {
                var bytes = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(evt, IncidentOps.Core.Events.OpsJson.Options).Length;
                var (count, total) = byType.GetValueOrDefault(evt.Type);
                byType[evt.Type] = (count + 1, total + bytes);
            }

            if (page.Count < 1000)
            {
                break;
            }

            after = StreamId.Parse(page[^1].Id);
        }

        return string.Join(", ", byType.OrderByDescending(t => t.Value.Count).Select(t => $"{t.Key} {t.Value.Count} × {t.Value.Bytes / t.Value.Count} B"));
    }

    private static async Task<bool> WaitDeliveredAsync(List<Client> clients, int expected, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (clients.All(c => c.Alerts >= expected))
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"Not within {timeout.TotalSeconds} s: {what}.");
            }

            await Task.Delay(50);
        }
    }

    private static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:0} MiB";

    /// <summary>One screen: a <see cref="RawHubClient"/> and which of the run's alerts it has seen (each counted once).</summary>
    private sealed class Client
    {
        private readonly ulong[] _seen;
        private int _alerts;

        private Client(int alerts) => _seen = new ulong[(alerts + 63) / 64];

        public RawHubClient Raw { get; private set; } = null!;

        public int Alerts => Volatile.Read(ref _alerts);

        public static Client Connect(Uri hub, string apiKey, string afterId, string method, EpollReactor reactor, FanoutRun run, bool read, int? receiveBufferBytes)
        {
            var client = new Client(run.Alerts);
            client.Raw = RawHubClient.Connect(hub, apiKey, afterId, method, reactor, (dedupKey, at, msSinceAppended) =>
            {
                if (run.IndexOf(dedupKey) is var index and >= 0 && (client._seen[index / 64] & (1UL << (index % 64))) == 0)
                {
                    client._seen[index / 64] |= 1UL << (index % 64);
                    Interlocked.Increment(ref client._alerts);
                    run.Received(index, at, msSinceAppended);
                }
            }, read, receiveBufferBytes);
            return client;
        }
    }
}
