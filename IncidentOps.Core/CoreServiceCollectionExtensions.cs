using IncidentOps.Core.Ai;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class CoreServiceCollectionExtensions
{
    /// <summary>
    /// The Redis-backed incident store, event log and stream signal. Needs an
    /// <c>IConnectionMultiplexer</c> (registered by <c>AddRedisClient</c>).
    /// </summary>
    public static IServiceCollection AddIncidentOpsStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IncidentStore>();
        services.AddSingleton<OpsEventLog>();
        services.AddSingleton<ActionStore>();
        services.AddSingleton<ChangeLog>();
        services.AddSingleton<AnalysisRequests>();
        services.AddSingleton<AttachmentStore>();
        services.AddSingleton<FixOutcomes>();
        services.AddSingleton<ConfirmedCases>();
        services.AddSingleton<StreamSignal>();
        services.AddSingleton<RetentionStore>();
        services.AddOptions<CorrelationOptions>()
            .BindConfiguration(CorrelationOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AlertCorrelator>();
        services.AddSingleton<IncidentCommands>();
        services.AddSingleton<IncidentIngestor>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<QuietPeriodResolver>();
        services.AddOptions<AiHealthOptions>()
            .BindConfiguration(AiHealthOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<AiUsageStore>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<IngestTokenStore>();
        services.AddSingleton<AuditLog>();
        services.AddOptions<AuditOptions>()
            .BindConfiguration(AuditOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }
}
