using System.Collections.Concurrent;
using IncidentOps.Core.Domain;
using StackExchange.Redis;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// How long each phase took recently, shared by every worker in Redis, for the ETA on progress
/// events: the median of the last <see cref="Kept"/> completed runs, minus what has elapsed.
/// </summary>
public sealed class PhaseDurations(IConnectionMultiplexer redis, TimeProvider time)
{
    public const int Kept = 200;
    private static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(15);
    private readonly ConcurrentDictionary<AgentPhase, (double? MedianSeconds, DateTimeOffset ReadAt)> _cache = new();

    public static string Key(AgentPhase phase) => $"{IncidentOps.Core.Storage.RedisKeys.Tag}:agents:durations:{phase.ToString().ToLowerInvariant()}";

    public async Task RecordAsync(AgentPhase phase, TimeSpan took)
    {
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var push = batch.ListLeftPushAsync(Key(phase), Math.Round(took.TotalSeconds, 4));
        var trim = batch.ListTrimAsync(Key(phase), 0, Kept - 1);
        batch.Execute();
        await Task.WhenAll(push, trim);
    }

    /// <summary>Seconds still expected for a phase that has been running for <paramref name="elapsed"/>; null with no history.</summary>
    public async Task<double?> EtaAsync(AgentPhase phase, TimeSpan elapsed)
    {
        var now = time.GetUtcNow();
        if (!_cache.TryGetValue(phase, out var cached) || now - cached.ReadAt > RefreshEvery)
        {
            var values = await redis.GetDatabase().ListRangeAsync(Key(phase));
            var seconds = values.Select(v => (double)v).Order().ToArray();
            cached = (seconds.Length == 0 ? null : seconds[seconds.Length / 2], now);
            _cache[phase] = cached;
        }

        return cached.MedianSeconds is { } median ? Math.Round(Math.Max(0, median - elapsed.TotalSeconds), 2) : null;
    }
}
