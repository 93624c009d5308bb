using IncidentOps.Api.Model;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Extensions;

/// <summary>Settings of the ingest hardening (issue 10), kept apart from the main wiring so that stays easy to change.</summary>
public static class HardeningExtensions
{
    /// <summary>The CloudWatch SNS topic allowlist (<c>Ingest:CloudWatch:TopicArns</c>), validated on start.</summary>
    public static IServiceCollection AddIngestHardening(this IServiceCollection services)
    {
        services.AddOptions<CloudWatchIngestOptions>().BindConfiguration(CloudWatchIngestOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CloudWatchIngestOptions>, CloudWatchIngestValidation>();
        services.AddSingleton<SnsTopicAllowlist>();
        return services;
    }
}
