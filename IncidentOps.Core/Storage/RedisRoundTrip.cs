using System.Diagnostics.Metrics;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// The round trip to Redis as the services see it (a PING through the same multiplexer their work uses), recorded on the
/// <c>incidentops.redis.rtt</c> histogram by each service's periodic sampler: what an operator alarms on before Redis is
/// down (a saturated shard, a stalled fsync, a network in trouble).
/// </summary>
public static class RedisRoundTrip
{
    public const string MeterName = "IncidentOps.Redis";
    private static readonly Meter Meter = new(MeterName);
    private static readonly Histogram<double> RoundTrip = Meter.CreateHistogram<double>("incidentops.redis.rtt", "ms", "Redis round-trip time (PING) as a service sees it.");

    /// <summary>PINGs Redis and records the time it took.</summary>
    public static async Task<TimeSpan> MeasureAsync(IDatabase db)
    {
        var elapsed = await db.PingAsync();
        RoundTrip.Record(elapsed.TotalMilliseconds);
        return elapsed;
    }
}
