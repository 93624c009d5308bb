using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using IncidentOps.Bench.Load;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace IncidentOps.Bench;

/// <summary>
/// <c>fanout</c>: N SignalR clients (WebSockets) subscribed to the hub; new alerts at a given rate, then a burst. For every
/// alert every client must receive its <c>alert.received</c>: latency from the POST to each receipt, deliveries per second
/// (every event every client got), alerts missed or received twice (must be 0), and the API's resident memory per connection.
/// </summary>
public static class FanoutBench
{
    private const int BucketCount = 120_000; // 1 ms buckets up to 120 s

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        output.WriteLine($"fanout: {Machine.Describe()}");
        output.WriteLine($"  {options.Subscribers} subscribers, alerts at {(options.Rate > 0 ? options.Rate : 50).ToString(CultureInfo.InvariantCulture)}/s for {options.Seconds} s, then a burst of {options.Burst}");
        await using var system = await SystemUnderTest.StartAsync(options, withAgents: true);
        var key = await system.CreateViewerKeyAsync();
        var run = new Run();
        var memoryBefore = SystemUnderTest.ResidentBytes(system.ApiProcess);

        // Subscribe from the newest id (not "from now on"): whatever is appended while the clients connect is replayed, so a
        // client cannot miss an alert sent before its subscription reached the hub.
        var newest = await system.Redis.GetDatabase().StreamRangeAsync(IncidentOps.Core.Storage.RedisKeys.OpsEvents, "-", "+", 1, StackExchange.Redis.Order.Descending);
        var afterId = newest.Length == 0 ? "0-0" : newest[0].Id.ToString();
        var clients = new List<Client>(options.Subscribers);
        using var connecting = new SemaphoreSlim(32);
        var connect = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, options.Subscribers).Select(async i =>
        {
            await connecting.WaitAsync();
            try
            {
                var client = await Client.ConnectAsync(system.Api, key, afterId, run);
                lock (clients)
                {
                    clients.Add(client);
                }
            }
            finally
            {
                connecting.Release();
            }
        }));
        var memoryConnected = SystemUnderTest.ResidentBytes(system.ApiProcess);
        output.WriteLine($"  {clients.Count} connected and subscribed in {connect.Elapsed.TotalSeconds:0.0} s");

        using var http = MixedLoad.Client(system.Api, 8);
        var rate = options.Rate > 0 ? options.Rate : 50;
        var steady = await PostAsync(http, run, "r", (int)(rate * options.Seconds), rate);
        var steadyDone = await WaitDeliveredAsync(run, clients, steady, TimeSpan.FromSeconds(60));
        var steadyStats = run.TakeLatencies();
        var deliveriesBefore = Interlocked.Read(ref run.Deliveries);
        var burstClock = Stopwatch.StartNew();
        var burst = await PostAsync(http, run, "b", options.Burst, rate: 0);
        var burstDone = await WaitDeliveredAsync(run, clients, steady + burst, TimeSpan.FromSeconds(180));
        var burstTook = burstClock.Elapsed;
        var burstDeliveries = Interlocked.Read(ref run.Deliveries) - deliveriesBefore;
        var burstStats = run.TakeLatencies();
        var memoryPeak = run.PeakRss;

        var expected = steady + burst;
        var missed = clients.Sum(c => Math.Max(0, expected - c.Alerts));
        var doubled = clients.Sum(c => c.OutOfOrder);
        var resyncs = clients.Sum(c => c.Resyncs);
        output.WriteLine($"  load average after: {Machine.LoadAverage()}");
        output.WriteLine("| phase | alerts | every client got all | p50 ms | p99 ms | max ms | deliveries/s |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        output.WriteLine($"| {rate}/s for {options.Seconds} s | {steady} | {(steadyDone ? "yes" : "NO")} | {steadyStats.P50} | {steadyStats.P99} | {steadyStats.Max} | |");
        output.WriteLine($"| burst | {burst} | {(burstDone ? "yes" : "NO")} in {burstTook.TotalSeconds:0.0} s | {burstStats.P50} | {burstStats.P99} | {burstStats.Max} | {burstDeliveries / burstTook.TotalSeconds:0} |");
        output.WriteLine($"  alerts posted but not answered 202 (timeouts, 503): {run.FailedPosts + (int)(rate * options.Seconds) + options.Burst - expected}");
        output.WriteLine($"  events delivered in all: {Interlocked.Read(ref run.Deliveries)}; alerts missed: {missed}; out of order or doubled: {doubled}; resyncs: {resyncs}");
        if (memoryBefore is { } before && memoryConnected is { } connected)
        {
            output.WriteLine($"  API resident memory: {Mb(before)} before, {Mb(connected)} with {clients.Count} subscribed ({(connected - before) / 1024.0 / Math.Max(1, clients.Count):0} KiB per connection), peak {Mb(memoryPeak)}");
        }

        await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        return missed == 0 && doubled == 0 ? 0 : 1;

        async Task<int> PostAsync(HttpClient client, Run state, string prefix, int count, double rate)
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
                var dedup = $"{state.Id}-{prefix}-{n.ToString(CultureInfo.InvariantCulture)}";
                sends.Add(Task.Run(async () =>
                {
                    try
                    {
                        state.SentAt[dedup] = Stopwatch.GetTimestamp();
                        using var response = await client.PostAsync("/api/v1/events", new StringContent(MixedLoad.Body(dedup, n % 300, 0), Encoding.UTF8, "application/json"));
                        if (response.StatusCode == System.Net.HttpStatusCode.Accepted)
                        {
                            Interlocked.Increment(ref accepted);
                        }

                        state.SampleMemory(system.ApiProcess);
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

    private static async Task<bool> WaitDeliveredAsync(Run run, List<Client> clients, int expected, TimeSpan timeout)
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

    /// <summary>Shared by every client: when each alert was sent, latency buckets, delivery count, peak API memory.</summary>
    private sealed class Run
    {
        public readonly string Id = $"f{DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}";
        public readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> SentAt = new();
        public long Deliveries;
        public long PeakRss;
        public int FailedPosts;
        private int[] _buckets = new int[BucketCount];

        public void Received(string dedupKey, long at)
        {
            if (SentAt.TryGetValue(dedupKey, out var sent))
            {
                var ms = (int)Stopwatch.GetElapsedTime(sent, at).TotalMilliseconds;
                Interlocked.Increment(ref _buckets[Math.Clamp(ms, 0, BucketCount - 1)]);
            }
        }

        public void SampleMemory(Process? api)
        {
            if (SystemUnderTest.ResidentBytes(api) is { } rss && rss > Interlocked.Read(ref PeakRss))
            {
                Interlocked.Exchange(ref PeakRss, rss);
            }
        }

        public (string P50, string P99, string Max) TakeLatencies()
        {
            var buckets = Interlocked.Exchange(ref _buckets, new int[BucketCount]);
            long total = buckets.Sum(b => (long)b), seen = 0;
            int? p50 = null, p99 = null, max = null;
            for (var ms = 0; ms < buckets.Length; ms++)
            {
                seen += buckets[ms];
                if (buckets[ms] > 0)
                {
                    max = ms;
                }

                p50 ??= seen >= total * 0.5 && total > 0 ? ms : null;
                p99 ??= seen >= total * 0.99 && total > 0 ? ms : null;
            }

            return (p50?.ToString(CultureInfo.InvariantCulture) ?? "-", p99?.ToString(CultureInfo.InvariantCulture) ?? "-", max?.ToString(CultureInfo.InvariantCulture) ?? "-");
        }
    }

    /// <summary>One screen: a hub connection streaming <c>Subscribe(null)</c>; takes single events, arrays of them, or a resync.</summary>
    private sealed class Client : IAsyncDisposable
    {
        private readonly HubConnection _hub;
        private readonly CancellationTokenSource _stop = new();
        private string _lastId = string.Empty;
        public volatile bool Subscribed;
        public int Alerts;
        public int OutOfOrder;
        public int Resyncs;

        private Client(HubConnection hub) => _hub = hub;

        public static async Task<Client> ConnectAsync(Uri api, string apiKey, string afterId, Run run)
        {
            var hub = new HubConnectionBuilder()
                .WithUrl(new Uri(api, "/hubs/ops"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.Headers["X-Api-Key"] = apiKey;
                })
                .Build();
            hub.ServerTimeout = TimeSpan.FromMinutes(5);
            await hub.StartAsync();
            var client = new Client(hub);
            _ = client.ReadAsync(afterId, run);
            return client;
        }

        private async Task ReadAsync(string afterId, Run run)
        {
            try
            {
                await ReadAsync("SubscribeFrames", afterId, run);
            }
            catch (Microsoft.AspNetCore.SignalR.HubException ex) when (ex.Message.Contains("does not exist", StringComparison.Ordinal))
            {
                // A hub from before frames (the "before" figures): one event per message.
                await ReadAsync("Subscribe", afterId, run);
            }
        }

        private async Task ReadAsync(string method, string afterId, Run run)
        {
            try
            {
                var stream = _hub.StreamAsync<JsonElement>(method, afterId, _stop.Token);
                await foreach (var item in stream)
                {
                    Subscribed = true;
                    var at = Stopwatch.GetTimestamp();
                    if (item.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var evt in item.EnumerateArray())
                        {
                            Take(evt, at, run);
                        }
                    }
                    else
                    {
                        Take(item, at, run);
                    }
                }
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
            }
            catch (Microsoft.AspNetCore.SignalR.HubException ex) when (ex.Message.Contains("resync", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Resyncs);
            }
        }

        private void Take(JsonElement evt, long at, Run run)
        {
            Interlocked.Increment(ref run.Deliveries);
            if (evt.TryGetProperty("resync", out _))
            {
                Interlocked.Increment(ref Resyncs);
                return;
            }

            var id = evt.GetProperty("id").GetString()!;
            if (string.CompareOrdinal(Pad(id), Pad(_lastId)) <= 0)
            {
                OutOfOrder++;
            }

            _lastId = id;
            if (evt.GetProperty("type").GetString() == "alert.received"
                && evt.GetProperty("data").GetProperty("alert").GetProperty("dedupKey").GetString() is { } dedup
                && dedup.StartsWith(run.Id, StringComparison.Ordinal))
            {
                Interlocked.Increment(ref Alerts);
                run.Received(dedup, at);
            }
        }

        /// <summary>Stream ids compare as (ms, seq) numbers: pad both parts so ordinal order is numeric order.</summary>
        private static string Pad(string id)
        {
            if (id.Length == 0)
            {
                return id;
            }

            var dash = id.IndexOf('-', StringComparison.Ordinal);
            return id[..dash].PadLeft(20, '0') + "-" + id[(dash + 1)..].PadLeft(20, '0');
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _hub.DisposeAsync();
            _stop.Dispose();
        }
    }
}
