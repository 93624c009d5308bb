using IncidentOps.Core;
using IncidentOps.Metrics.Figures;

namespace IncidentOps.Metrics.Extensions;

public static class Extensions
{
    /// <summary>Redis, the figures calculator and the worker that recomputes them as incidents change.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddIncidentOpsStorage();

        builder.Services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<MetricsCalculator>();
        builder.Services.AddHostedService<MetricsWorker>();
    }
}
