using IncidentOps.Agents.Actions;
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
        builder.Services.AddSingleton<PhaseDurations>();
        builder.Services.AddSingleton<IncidentLease>();
        builder.Services.AddOptions<ActionOptions>()
            .BindConfiguration(ActionOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // No redirects: a 30x to a host outside the allowlist must not be followed.
        builder.Services.AddHttpClient(WebhookExecutor.HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        // An action that changes production is never repeated by a transport retry: the executor reports the failure instead.
        builder.Services.Configure<Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions>(
            $"{WebhookExecutor.HttpClientName}-standard", o => o.Retry.ShouldHandle = _ => ValueTask.FromResult(false));
        builder.Services.AddSingleton<IActionExecutor, ManualExecutor>();
        builder.Services.AddSingleton<IActionExecutor, WebhookExecutor>();
        builder.Services.AddSingleton<ActionPlanner>();
        builder.Services.AddSingleton<ActionRunner>();
        builder.Services.AddHostedService<AgentWorker>();
    }
}
