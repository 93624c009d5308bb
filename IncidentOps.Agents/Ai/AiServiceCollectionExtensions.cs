using Amazon;
using Amazon.Runtime.Signing;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Agents.Ai.Memory;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Ai.Sentiment;
using IncidentOps.Agents.Ai.TextExtraction;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;

namespace IncidentOps.Agents.Ai;

public static class AiServiceCollectionExtensions
{
    /// <summary>
    /// The AI layer: options (section <c>AI</c>), the facade <see cref="IncidentAi"/> over one class per capability, and one
    /// HttpClient per AWS endpoint whose pipeline is retry-with-backoff-and-jitter (throttling, 5xx) over SigV4
    /// signing over the socket, so every retry is signed afresh. Needs Redis and the Core storage registered.
    /// </summary>
    public static IServiceCollection AddIncidentAi(this IServiceCollection services)
    {
        services.AddOptions<AiOptions>().BindConfiguration(AiOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton<AwsCredentialSource>();
        foreach (var (client, signingName, endpoint, endpointOverride) in AwsClientNames.All)
        {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked evaluation; it is the documented way to replace the defaults' handler
            services.AddHttpClient(client, (sp, http) =>
                {
                    var settings = sp.GetRequiredService<IOptions<AiOptions>>().Value;
                    http.BaseAddress = new Uri(endpointOverride(settings.Endpoints) is { Length: > 0 } custom ? custom : endpoint(settings.Region));
                    // The resilience handler owns timeouts (per attempt and in total).
                    http.Timeout = Timeout.InfiniteTimeSpan;
                })
                .ConfigurePrimaryHttpMessageHandler(sp => new SigV4SigningHandler(
                    new AWSSigV4Parameters
                    {
                        Credentials = sp.GetRequiredService<AwsCredentialSource>().Credentials,
                        Region = RegionEndpoint.GetBySystemName(sp.GetRequiredService<IOptions<AiOptions>>().Value.Region),
                        Service = signingName,
                    },
                    new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }))
                // ServiceDefaults gives every client a standard handler; these need their own settings.
                .RemoveAllResilienceHandlers()
                .AddStandardResilienceHandler()
                .Configure((HttpStandardResilienceOptions resilience, IServiceProvider sp) => ConfigureResilience(resilience, sp.GetRequiredService<IOptions<AiOptions>>().Value));
#pragma warning restore EXTEXP0001
        }

        services.AddSingleton<BedrockGuardrailClient>();
        services.AddSingleton<KnowledgeBaseClient>();
        services.AddSingleton<BedrockAgentClient>();
        services.AddSingleton<QBusinessClient>();
        services.AddSingleton<ComprehendClient>();
        services.AddSingleton<TextractClient>();
        services.AddSingleton<AwsAiClients>();
        services.AddSingleton<AiEngine>();
        services.AddSingleton<ModelRouter>();
        services.AddSingleton<AiAccounting>();
        services.AddSingleton<PaidCalls>();
        services.AddSingleton<LocalKnowledge>();
        services.AddSingleton<SentenceEmbedder>();
        services.AddSingleton<CaseBase>();
        services.AddSingleton<CauseEvidenceReader>();
        services.AddSingleton<ConfirmedCaseSync>();
        services.AddSingleton(_ => CauseModel.Load());
        services.AddSingleton(_ => RemediationModel.Load());
        services.AddSingleton<LocalReasoner>();
        services.AddSingleton<RedisServiceMemory>();
        // One class per capability, each choosing between its local and AWS implementation; the facade over them.
        services.AddSingleton<TextGuard>();
        services.AddSingleton<ServiceMemory>();
        services.AddSingleton<CauseReasoning>();
        services.AddSingleton<KnowledgeRetrieval>();
        services.AddSingleton<SentimentReading>();
        services.AddSingleton<DocumentText>();
        services.AddSingleton<IncidentAi>();
        services.AddHostedService<AiConfigurationPublisher>();
        return services;
    }

    private static void ConfigureResilience(HttpStandardResilienceOptions resilience, AiOptions settings)
    {
        var attempt = TimeSpan.FromSeconds(settings.AttemptTimeoutSeconds);
        resilience.AttemptTimeout.Timeout = attempt;
        resilience.Retry.MaxRetryAttempts = settings.MaxRetries;
        resilience.Retry.Delay = TimeSpan.FromMilliseconds(settings.RetryBaseDelayMs);
        resilience.Retry.BackoffType = DelayBackoffType.Exponential;
        resilience.Retry.UseJitter = true;
        resilience.Retry.ShouldHandle = args => ValueTask.FromResult(IsRetryable(args.Outcome));
        resilience.TotalRequestTimeout.Timeout = (attempt * (settings.MaxRetries + 1)) + TimeSpan.FromMilliseconds(settings.RetryBaseDelayMs * Math.Pow(2, settings.MaxRetries + 1));
        resilience.CircuitBreaker.SamplingDuration = attempt * 2;
    }

    /// <summary>
    /// An AWS error answer (it names its code in <c>x-amzn-ErrorType</c>) is retried as the AWS SDKs retry it
    /// (<see cref="AwsRetryRule"/>: throttling, including JSON 1.1's 400 <c>ThrottlingException</c>, and 500/502/503/504);
    /// anything else (network errors, timeouts, a proxy's 5xx) as any transient HTTP failure.
    /// </summary>
    private static bool IsRetryable(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { IsSuccessStatusCode: false } response && response.Headers.TryGetValues("x-amzn-ErrorType", out var types)
            ? AwsRetryRule.IsRetryable((int)response.StatusCode, AwsRetryRule.CodeOf(types.First()))
            : HttpClientResiliencePredicates.IsTransient(outcome);
}
