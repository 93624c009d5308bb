using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// A steady stream of Events v2 triggers, each with a dedup key never used before, from a few concurrent senders.
/// Records every 202 (the key and its incident), every other answer by status, and every request that died in flight.
/// With <paramref name="resolveEveryOther"/>, every second accepted alert is resolved right after, so incidents also close.
/// </summary>
public sealed class AlertLoad(Uri api, int senders = 4, bool resolveEveryOther = false) : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _senders = [];
    private long _sequence;

    public ConcurrentBag<(string DedupKey, string IncidentId, DateTimeOffset At)> Accepted { get; } = [];

    public ConcurrentDictionary<int, int> Refused { get; } = new();

    /// <summary>Answers to the resolves, by status.</summary>
    public ConcurrentDictionary<int, int> Resolved { get; } = new();

    public ConcurrentBag<string> ServerErrors { get; } = [];

    /// <summary>503 answers that carried Retry-After and a problem document.</summary>
    public ConcurrentBag<string> Unavailable { get; } = [];

    public int FailedInFlight => _failedInFlight;

    public string? LastRefusal { get; private set; }

    public TimeSpan Slowest { get; private set; }

    private int _failedInFlight;

    public void Start()
    {
        for (var i = 0; i < senders; i++)
        {
            _senders.Add(Task.Run(SendLoopAsync));
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_senders);
    }

    private async Task SendLoopAsync()
    {
        // A fresh connection per sender, closed by the server's death like a real monitoring tool's would be.
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiProcess.EventsToken);
        while (!_stop.IsCancellationRequested)
        {
            var sequence = Interlocked.Increment(ref _sequence);
            var key = $"fault-{Environment.ProcessId}-{sequence}";
            var started = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.PostAsJsonAsync("/api/v1/events", new
                {
                    routing_key = "team-faults",
                    event_action = "trigger",
                    dedup_key = key,
                    payload = new { summary = $"fault load {key}", source = $"svc-{key[^1]}", severity = "error", component = "api" },
                });
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync();
                if (status == 202)
                {
                    Accepted.Add((key, JsonDocument.Parse(body).RootElement.GetProperty("incidentId").GetString()!, DateTimeOffset.UtcNow));
                    if (resolveEveryOther && sequence % 2 == 0)
                    {
                        using var resolved = await http.PostAsJsonAsync("/api/v1/events", new { routing_key = "team-faults", event_action = "resolve", dedup_key = key });
                        Resolved.AddOrUpdate((int)resolved.StatusCode, 1, (_, n) => n + 1);
                    }
                }
                else
                {
                    LastRefusal = $"{status} {body}";
                    Refused.AddOrUpdate(status, 1, (_, n) => n + 1);
                    if (status >= 500 && status != 503)
                    {
                        ServerErrors.Add($"{status}: {body}");
                    }
                    else if (status == 503)
                    {
                        if (response.Headers.RetryAfter is null || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                        {
                            ServerErrors.Add($"503 without Retry-After or problem: {body}");
                        }
                        else
                        {
                            Unavailable.Add(body);
                        }

                        await Task.Delay(200);
                    }
                }
            }
            catch (HttpRequestException ex)
            {
                LastRefusal = $"no answer: {ex.Message}";
                // Connection refused or reset: the request did not get a 202, which is all a client may rely on.
                Interlocked.Increment(ref _failedInFlight);
                await Task.Delay(100);
            }
            catch (TaskCanceledException) when (!_stop.IsCancellationRequested)
            {
                ServerErrors.Add("no answer within 30 s");
            }
            catch (TaskCanceledException)
            {
            }

            var took = Stopwatch.GetElapsedTime(started);
            if (took > Slowest)
            {
                Slowest = took;
            }
        }
    }

    /// <summary>Every accepted key whose incident is missing from Redis or does not hold its alert.</summary>
    public async Task<List<string>> LostAsync(StackExchange.Redis.IConnectionMultiplexer connection)
    {
        var store = new IncidentOps.Core.Storage.IncidentStore(connection);
        var lost = new List<string>();
        foreach (var incident in Accepted.GroupBy(a => a.IncidentId))
        {
            // The incident as every reader gets it: its document and its alerts (kept in their own hash).
            var held = (await store.GetAsync(incident.Key))?.Alerts.Select(a => a.DedupKey).ToHashSet() ?? [];
            lost.AddRange(incident.Select(a => a.DedupKey).Where(key => !held.Contains(key)));
        }

        return lost;
    }

    /// <summary>"N accepted, N present, N lost", the line every fault test prints.</summary>
    public string Durability(IReadOnlyCollection<string> lost) => $"{Accepted.Count:N0} accepted, {Accepted.Count - lost.Count:N0} present, {lost.Count} lost";

    public string Summary() =>
        $"{Accepted.Count:N0} accepted; refused: {string.Join(", ", Refused.OrderBy(r => r.Key).Select(r => $"{r.Value:N0}×{r.Key}"))}; " +
        $"{FailedInFlight:N0} failed in flight (no answer); slowest answer {Slowest.TotalSeconds:F1} s; last refusal: {LastRefusal}";

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
