using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// How much agent work is waiting: entries of <c>agents:work</c> and <c>agents:urgent</c> never delivered to the agents' group (its lag) plus
/// those delivered and not yet acknowledged (in progress). Published as the <c>incidentops.agents.work.lag</c> gauge,
/// which the AWS deployment scales the agents on.
/// </summary>
public static class WorkBacklog
{
    public static async Task<long> ReadAsync(IDatabase db) =>
        await ReadAsync(db, RedisKeys.AgentsWork) + await ReadAsync(db, RedisKeys.AgentsUrgent);

    private static async Task<long> ReadAsync(IDatabase db, string stream)
    {
        try
        {
            var group = (await db.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == RedisKeys.AgentsGroup);
            return group.Name is null ? 0 : (group.Lag ?? 0) + group.PendingMessageCount;
        }
        catch (RedisServerException)
        {
            // No stream yet: nothing has ever been queued.
            return 0;
        }
    }
}

/// <summary>Samples <see cref="WorkBacklog"/> and the dead letters for their gauges (<see cref="AgentQueueGauges"/>); every agents task publishes it, CloudWatch takes the maximum.</summary>
internal sealed class WorkBacklogSampler(IConnectionMultiplexer redis, AgentQueueGauges gauges, TimeProvider time, ILogger<WorkBacklogSampler> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                var db = redis.GetDatabase();
                gauges.WorkBacklog = await WorkBacklog.ReadAsync(db);
                gauges.DeadLetters = await db.StreamLengthAsync(RedisKeys.AgentsDead);
                await RedisRoundTrip.MeasureAsync(db);
            }
            catch (RedisException ex)
            {
                AgentsLog.QueueReadFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
