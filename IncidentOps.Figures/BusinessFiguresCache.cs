using System.Collections.Concurrent;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Figures;

/// <summary>
/// The business figures of a query, recomputed only when the facts changed or the last answer is older than
/// <see cref="MaxAge"/>: dashboards poll the same query, and with every incident of a busy month in the window a
/// recompute costs a second of CPU (three 10,000-resample bootstraps). Time still moves figures without any change
/// (windows slide, open incidents age), hence the age limit; <c>computedAt</c> in the answer says how fresh it is.
/// The query string is the caller's, so the cache must not be theirs to grow or to make us work: the service is
/// matched case-insensitively (one entry per service, whatever the spelling), a service no fact has gets the empty
/// answer without loading the facts (and is not kept), and at most <see cref="Capacity"/> answers are kept (the oldest goes first).
/// </summary>
public sealed class BusinessFiguresCache(IConnectionMultiplexer redis, FactStore facts, BusinessCalculator calculator, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    /// <summary>Answers kept: 2 windows × 5 severity filters per service, for a few dozen services.</summary>
    public const int MaxEntries = 512;

    private readonly ConcurrentDictionary<MetricsQuery, (long Version, BusinessMetrics Figures)> _answers = new();
    private long _recomputes;

    /// <summary>Full recomputes (facts loaded and figured) so far: what the cache exists to keep low.</summary>
    public long Recomputes => Interlocked.Read(ref _recomputes);

    /// <summary>How many answers are kept at most (<see cref="MaxEntries"/>; a test sets fewer).</summary>
    public int Capacity { get; init; } = MaxEntries;

    public int Count => _answers.Count;

    public async Task<BusinessMetrics> GetAsync(MetricsQuery query)
    {
        var service = query.Service?.Trim();
        query = query with { Service = string.IsNullOrEmpty(service) ? null : service.ToLowerInvariant() };
        var version = (long)await redis.GetDatabase().StringGetAsync(FactStore.VersionKey(RedisKeys.MetricsFacts));
        if (_answers.TryGetValue(query, out var cached) && cached.Version == version && time.GetUtcNow() - cached.Figures.ComputedAt < MaxAge)
        {
            return cached.Figures;
        }

        var asked = query;
        if (service is { Length: > 0 })
        {
            if (await facts.FindServiceAsync(service) is not { } known)
            {
                return calculator.Compute(FactTable.Empty, query with { Service = service });
            }

            asked = query with { Service = known };
        }

        Interlocked.Increment(ref _recomputes);
        var figures = calculator.Compute(await facts.LoadAsync(), asked);
        MakeRoomFor(query);
        _answers[query] = (version, figures);
        return figures;
    }

    private void MakeRoomFor(MetricsQuery query)
    {
        while (_answers.Count >= Capacity && !_answers.ContainsKey(query))
        {
            var oldest = _answers.MinBy(e => e.Value.Figures.ComputedAt).Key;
            _answers.TryRemove(oldest, out _);
        }
    }
}
