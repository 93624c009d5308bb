using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace IncidentOps.Bench.Load;

/// <summary>
/// What one load run saw: answers by status code, latencies (ms), and the dedup keys of every alert answered 202 with when
/// (into the run) each was last answered 202.
/// </summary>
public sealed record LoadResult(TimeSpan Elapsed, IReadOnlyDictionary<int, int> ByStatus, List<double> LatenciesMs, IReadOnlyDictionary<string, TimeSpan> LastAccepted, int Errors)
{
    public IReadOnlyCollection<string> AcceptedKeys => [.. LastAccepted.Keys];

    public int Total => ByStatus.Values.Sum() + Errors;
    public int Accepted => ByStatus.GetValueOrDefault(202);
    public double PerSecond => Total / Elapsed.TotalSeconds;
    public double AcceptedPerSecond => Accepted / Elapsed.TotalSeconds;
}

/// <summary>
/// Posts Events v2 triggers: a share of brand-new alerts (spread over <see cref="LoadOptions.Groups"/> groups, 300 unless
/// told: the correlator makes each group one incident, so the first few hundred new alerts open that many incidents and the
/// rest join them, as in a storm), the rest repeats of alerts already sent, half identical and half with changed details (updates).
/// Closed loop over N connections (each sends its next as soon as the last is answered, like wrk), or paced to a rate,
/// where latency counts from when the request was due (no coordinated omission).
/// </summary>
public sealed class MixedLoad(Uri target, LoadOptions options, string runId)
{
    private readonly List<string> _known = [];
    private readonly Lock _knownLock = new();
    private long _next;

    public static string Body(string dedupKey, int group, int detail) =>
        "{\"routing_key\":\"" + SystemUnderTest.IngestToken + "\",\"event_action\":\"trigger\",\"dedup_key\":\"" + dedupKey
        + "\",\"payload\":{\"summary\":\"p99 latency above 2 s on endpoint " + (group % 7).ToString(CultureInfo.InvariantCulture)
        + "\",\"source\":\"svc-" + group.ToString(CultureInfo.InvariantCulture) + "\",\"severity\":\"" + (group % 5 == 0 ? "critical" : "error")
        + "\",\"component\":\"checkout-" + (group % 3).ToString(CultureInfo.InvariantCulture) + "\",\"custom_details\":{\"value\":"
        + detail.ToString(CultureInfo.InvariantCulture) + ",\"region\":\"eu-west-1\"}}}";

    public static HttpClient Client(Uri target, int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        AutomaticDecompression = DecompressionMethods.None,
    })
    { BaseAddress = target, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<LoadResult> RunAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        using var http = Client(target, options.Connections);
        var accepted = new System.Collections.Concurrent.ConcurrentDictionary<string, TimeSpan>();
        var byStatus = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var latencies = new List<double>[options.Connections];
        var errors = 0;
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, options.Connections).Select(async worker =>
        {
            var random = new Random(worker * 7919 + 17);
            var mine = latencies[worker] = new List<double>(100_000);
            var interval = options.Rate > 0 ? options.Connections / options.Rate : 0;
            for (var n = 0; clock.Elapsed < duration && !cancellationToken.IsCancellationRequested; n++)
            {
                var due = interval > 0 ? TimeSpan.FromSeconds(n * interval + worker * interval / options.Connections) : clock.Elapsed;
                if (due > clock.Elapsed)
                {
                    await Task.Delay(due - clock.Elapsed, cancellationToken);
                }

                var (key, body, isNew) = NextAlert(random);
                try
                {
                    using var content = new StringContent(body, Encoding.UTF8, "application/json");
                    using var response = await http.PostAsync("/api/v1/events", content, cancellationToken);
                    await response.Content.LoadIntoBufferAsync(cancellationToken);
                    mine.Add((clock.Elapsed - due).TotalMilliseconds);
                    byStatus.AddOrUpdate((int)response.StatusCode, 1, (_, c) => c + 1);
                    if (response.StatusCode == HttpStatusCode.Accepted)
                    {
                        accepted[key] = clock.Elapsed;
                        if (isNew)
                        {
                            Remember(key);
                        }
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }).ToList();
        await Task.WhenAll(workers);
        var elapsed = clock.Elapsed;
        var all = latencies.Where(l => l is not null).SelectMany(l => l).ToList();
        all.Sort();
        return new LoadResult(elapsed, byStatus.ToDictionary(), all, accepted.ToDictionary(), errors);
    }

    private (string Key, string Body, bool IsNew) NextAlert(Random random)
    {
        string? repeat = null;
        if (random.NextDouble() >= options.NewShare)
        {
            lock (_knownLock)
            {
                repeat = _known.Count == 0 ? null : _known[random.Next(_known.Count)];
            }
        }

        if (repeat is not null)
        {
            var group = int.Parse(repeat.AsSpan(repeat.LastIndexOf('-') + 1), CultureInfo.InvariantCulture) % options.Groups;
            // Half identical repeats (a sender re-notifying), half with changed details (an update).
            return (repeat, Body(repeat, group, random.Next(2) == 0 ? 0 : random.Next(1, 1_000_000)), false);
        }

        var n = Interlocked.Increment(ref _next);
        var key = $"{runId}-{n.ToString(CultureInfo.InvariantCulture)}";
        return (key, Body(key, (int)(n % options.Groups), 0), true);
    }

    private void Remember(string key)
    {
        lock (_knownLock)
        {
            if (_known.Count < 200_000)
            {
                _known.Add(key);
            }
        }
    }
}
