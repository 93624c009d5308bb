using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Metrics.Retention;

/// <summary>
/// The one background trimmer: a <see cref="RetentionPass"/> every <see cref="RetentionOptions.IntervalSeconds"/> on the
/// host's clock. Every metrics worker replica runs it; each step is safe to run twice (trims to a bound, deletes what is due).
/// </summary>
public sealed class RetentionTrimmer(RetentionPass pass, TimeProvider time, IOptions<RetentionOptions> options, ILogger<RetentionTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.IntervalSeconds), time);
        do
        {
            try
            {
                var report = await pass.RunAsync(time.GetUtcNow());
                RetentionLog.Passed(logger, report.Events, report.DeadLetters, report.WorkEntries, report.TimelineEntries, report.DedupKeys, report.IncidentsArchived, report.WaitingForFacts);
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException || RedisFailures.IsTransient(ex))
            {
                RetentionLog.Failed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

internal static partial class RetentionLog
{
    [LoggerMessage(Level = LogLevel.Debug, Message = "Retention pass: {Events} events, {DeadLetters} dead letters, {WorkEntries} work entries, {TimelineEntries} timeline entries, {DedupKeys} dedup keys, {Incidents} incidents archived, {Waiting} waiting for their facts")]
    public static partial void Passed(ILogger logger, long events, long deadLetters, long workEntries, long timelineEntries, long dedupKeys, int incidents, int waiting);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed; retried at the next interval")]
    public static partial void Failed(ILogger logger, Exception exception);
}
