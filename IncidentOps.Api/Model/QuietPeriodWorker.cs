using IncidentOps.Core.Ingest;

namespace IncidentOps.Api.Model;

/// <summary>Runs the quiet-period auto-resolve once a minute (when it is configured).</summary>
public sealed class QuietPeriodWorker(QuietPeriodResolver resolver, ILogger<QuietPeriodWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var id in await resolver.SweepAsync(stoppingToken))
                {
                    ApiLog.AutoResolved(logger, id);
                }
            }
            catch (Exception ex) when (ex is StackExchange.Redis.RedisException || IncidentOps.Core.Storage.RedisFailures.IsTransient(ex))
            {
                ApiLog.TailFailed(logger, ex);
            }
        }
    }
}
