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
        // An action that changes production is sent once: no transport retries (ServiceDefaults gives every client a
        // retrying handler, removed here), no redirects (a 30x to a host outside the allowlist is not followed), and the
        // executor's own timeout (Actions:Webhook:TimeoutSeconds) is the only one.
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked evaluation; it is the documented way to drop the defaults' handler
        builder.Services.AddHttpClient(WebhookExecutor.HttpClientName, http => http.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false })
            .RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<IActionExecutor, ManualExecutor>();
        builder.Services.AddSingleton<IActionExecutor, WebhookExecutor>();
        builder.Services.AddSingleton<ActionPlanner>();
        builder.Services.AddSingleton<ActionRunner>();
        builder.Services.AddSingleton<Attachments.AttachmentReader>();
        builder.Services.AddHostedService<AgentWorker>();
        builder.Services.AddHostedService<WorkBacklogSampler>();
    }
}
