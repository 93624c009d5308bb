using IncidentOps.Agents.LocalEngine;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core;

namespace IncidentOps.Agents.Extensions;

public static class Extensions
{
    /// <summary>Redis, the four agents (local engine), the pipeline and the worker that feeds it from <c>agents:work</c>.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddIncidentOpsStorage();

        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddSingleton<IAgent, DetectionAgent>();
        builder.Services.AddSingleton<IAgent, DiagnosisAgent>();
        builder.Services.AddSingleton<IAgent, PredictionAgent>();
        builder.Services.AddSingleton<IAgent, ResolutionAgent>();
        builder.Services.AddSingleton<IncidentPipeline>();
        builder.Services.AddSingleton<PhaseDurations>();
        builder.Services.AddSingleton<IncidentLease>();
        builder.Services.AddHostedService<AgentWorker>();
    }
}
