using IncidentOps.Core.Ingest;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Core.Storage;

/// <summary>
/// Which webhook deliveries were already processed (an Alertmanager HA pair sends each group twice,
/// tools retry, SNS redelivers by MessageId). Remembered for <see cref="CorrelationOptions.DeliveryMemoryMinutes"/>.
/// A delivery is remembered only after it was processed, so a crash half-way lets the retry finish it;
/// the alerts themselves are idempotent, so processing one twice changes nothing either.
/// </summary>
public sealed class DeliveryLog(IConnectionMultiplexer redis, IOptions<CorrelationOptions> options)
{
    public async Task<bool> SeenAsync(string source, string deliveryId) =>
        await redis.GetDatabase().KeyExistsAsync(RedisKeys.Delivery(source, deliveryId));

    public Task RememberAsync(string source, string deliveryId) =>
        redis.GetDatabase().StringSetAsync(RedisKeys.Delivery(source, deliveryId), 1, TimeSpan.FromMinutes(options.Value.DeliveryMemoryMinutes));
}
