using IncidentOps.Core;
using IncidentOps.Figures;
using IncidentOps.Metrics.Figures;

namespace IncidentOps.Metrics.Extensions;

public static class Extensions
{
    /// <summary>Redis, the incident facts and figures calculators, and the worker that keeps them current as incidents change.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddIncidentOpsStorage();
        builder.Services.AddBusinessFigures();

        builder.Services.AddOptions<MetricsOptions>()
            .BindConfiguration(MetricsOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<MetricsCalculator>();
        builder.Services.AddSingleton<MetricsPublisher>();
        builder.Services.AddHostedService<MetricsWorker>();
    }
}
