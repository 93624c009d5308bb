using IncidentOps.Agents.Ai;
using IncidentOps.Agents.LocalEngine;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core;

namespace IncidentOps.Agents.Extensions;

public static class Extensions
{
    /// <summary>Redis, the AI layer, the four agents, the pipeline and the worker that feeds it from <c>agents:work</c>.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddIncidentOpsStorage();

        builder.Services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddIncidentAi();

        builder.Services.AddSingleton<IAgent, DetectionAgent>();
        builder.Services.AddSingleton<IAgent, DiagnosisAgent>();
        builder.Services.AddSingleton<IAgent, PredictionAgent>();
        builder.Services.AddSingleton<IAgent, ResolutionAgent>();
        builder.Services.AddSingleton<IncidentPipeline>();
        builder.Services.AddHostedService<AgentWorker>();
    }
}
