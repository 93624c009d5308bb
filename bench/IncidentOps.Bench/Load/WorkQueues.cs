using IncidentOps.Core.Storage;
using StackExchange.Redis;

namespace IncidentOps.Bench.Load;

/// <summary>The agents' two work queues seen from outside: how many items wait or run, and how many were finished.</summary>
public static class WorkQueues
{
    /// <summary>One sample: items of <c>agents:urgent</c> and <c>agents:work</c> not yet acknowledged (waiting + in progress).</summary>
    public readonly record struct Sample(long Urgent, long Regular);

    /// <summary>Samples both queues every <paramref name="every"/> until cancelled.</summary>
    public static async Task<IReadOnlyList<Sample>> SampleAsync(IDatabase db, TimeSpan every, CancellationToken cancellationToken)
    {
        var samples = new List<Sample>();
        using var timer = new PeriodicTimer(every);
        try
        {
            do
            {
                var urgent = await GroupAsync(db, RedisKeys.AgentsUrgent);
                var regular = await GroupAsync(db, RedisKeys.AgentsWork);
                samples.Add(new Sample(urgent.Waiting, regular.Waiting));
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
        }

        return samples;
    }

    /// <summary>Items acknowledged so far (read by the group minus still pending) on each queue.</summary>
    public static async Task<(long Urgent, long Regular)> AcknowledgedAsync(IDatabase db) =>
        ((await GroupAsync(db, RedisKeys.AgentsUrgent)).Acknowledged, (await GroupAsync(db, RedisKeys.AgentsWork)).Acknowledged);

    private static async Task<(long Waiting, long Acknowledged)> GroupAsync(IDatabase db, string stream)
    {
        try
        {
            var group = (await db.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == RedisKeys.AgentsGroup);
            return group.Name is null ? (0, 0) : ((group.Lag ?? 0) + group.PendingMessageCount, (group.EntriesRead ?? 0) - group.PendingMessageCount);
        }
        catch (RedisServerException)
        {
            return (0, 0);
        }
    }
}
