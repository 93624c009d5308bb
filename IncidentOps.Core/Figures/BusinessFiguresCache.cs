using System.Collections.Concurrent;
using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Core.Figures;

/// <summary>
/// The business figures of a query, recomputed only when the facts changed or the last answer is older than
/// <see cref="MaxAge"/>: dashboards poll the same query, and with every incident of a busy month in the window a
/// recompute costs a second of CPU (three 10,000-resample bootstraps). Time still moves figures without any change
/// (windows slide, open incidents age), hence the age limit; <c>computedAt</c> in the answer says how fresh it is.
/// </summary>
public sealed class BusinessFiguresCache(IConnectionMultiplexer redis, FactStore facts, BusinessCalculator calculator, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<MetricsQuery, (long Version, BusinessMetrics Figures)> _answers = new();

    public async Task<BusinessMetrics> GetAsync(MetricsQuery query)
    {
        var version = (long)await redis.GetDatabase().StringGetAsync(FactStore.VersionKey(RedisKeys.MetricsFacts));
        if (_answers.TryGetValue(query, out var cached) && cached.Version == version && time.GetUtcNow() - cached.Figures.ComputedAt < MaxAge)
        {
            return cached.Figures;
        }

        var figures = calculator.Compute(await facts.LoadAsync(), query);
        _answers[query] = (version, figures);
        return figures;
    }
}
