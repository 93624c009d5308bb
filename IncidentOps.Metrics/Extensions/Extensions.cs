using IncidentOps.Core;
using IncidentOps.Figures;
using IncidentOps.Metrics.Figures;
using IncidentOps.Metrics.Retention;

namespace IncidentOps.Metrics.Extensions;

public static class Extensions
{
    /// <summary>Redis, the incident facts and figures calculators, the worker that keeps them current as incidents change, and the retention trimmer.</summary>
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

        builder.Services.AddOptions<RetentionOptions>()
            .BindConfiguration(RetentionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<RetentionTelemetry>();
        builder.Services.AddSingleton<RetentionPass>();
        builder.Services.AddHostedService<RetentionTrimmer>();
    }
}
