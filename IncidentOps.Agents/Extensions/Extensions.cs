using IncidentOps.Agents.Actions;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Phases.Detection;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Phases.Prediction;
using IncidentOps.Agents.Phases.Resolution;
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
        builder.Services.AddIncidentAi();
        builder.Services.AddAgentPipeline();
        builder.Services.AddHostedService<AgentWorker>();
        builder.Services.AddSingleton<AgentQueueGauges>();
        builder.Services.AddHostedService<WorkBacklogSampler>();
        builder.Services.AddHostedService<Ai.Reasoning.CaseBaseWarmup>();
    }

    /// <summary>
    /// The four agents, the pipeline that runs them, and the actions they propose (options <c>Agents</c> and
    /// <c>Actions</c>). Needs the Core storage and the AI layer (<see cref="AiServiceCollectionExtensions.AddIncidentAi"/>).
    /// The tests build their agents through this too, so what they test is what runs.
    /// </summary>
    public static IServiceCollection AddAgentPipeline(this IServiceCollection services)
    {
        services.AddOptions<AgentOptions>()
            .BindConfiguration(AgentOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IAgent, DetectionAgent>();
        services.AddSingleton<IAgent, DiagnosisAgent>();
        services.AddSingleton<IAgent, PredictionAgent>();
        services.AddSingleton<IAgent, ResolutionAgent>();
        services.AddSingleton<IncidentPipeline>();
        services.AddSingleton<ConcurrentIncidentReader>();
        services.AddSingleton<PhaseDurations>();
        services.AddSingleton<IncidentLease>();
        services.AddOptions<ActionOptions>()
            .BindConfiguration(ActionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // An action that changes production is sent once: no transport retries (ServiceDefaults gives every client a
        // retrying handler, removed here), no redirects (a 30x to a host outside the allowlist is not followed), and the
        // executor's own timeout (Actions:Webhook:TimeoutSeconds) is the only one.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked evaluation; it is the documented way to drop the defaults' handler
        services.AddHttpClient(WebhookExecutor.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddSingleton<IActionExecutor, ManualExecutor>();
        services.AddSingleton<IActionExecutor, WebhookExecutor>();
        services.AddSingleton<ActionPlanner>();
        services.AddSingleton<ActionRunner>();
        services.AddSingleton<AttachmentReader>();
        return services;
    }
}
