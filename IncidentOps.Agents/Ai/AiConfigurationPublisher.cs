using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Agents.Ai;

/// <summary>
/// Tells the API, through Redis, which AI services this worker runs with (GET /api/v1/ai/services lists every service
/// of <see cref="AiCatalog"/>; the API has no AI settings of its own). Written at start; retried until Redis answers.
/// </summary>
public sealed class AiConfigurationPublisher(AiUsageStore usage, AiEngine engine, IOptions<AiOptions> options, TimeProvider time, ILogger<AiConfigurationPublisher> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var configuration = Describe(options.Value, engine.Provider, engine.Reason, time.GetUtcNow());
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await usage.PublishConfigurationAsync(configuration);
                return;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                AiLog.AccountingFailed(logger, "configuration", engine.Name, ex);
                await Task.Delay(TimeSpan.FromSeconds(5), time, stoppingToken);
            }
        }
    }

    /// <summary>Each catalog entry as these settings make it: on or off, the model or resource, and why.</summary>
    public static AiConfiguration Describe(AiOptions settings, AiProvider provider, string providerReason, DateTimeOffset at)
    {
        var bedrock = provider == AiProvider.Bedrock;
        var off = bedrock ? null : $"the provider is {provider.ToString().ToLowerInvariant()} ({providerReason})";
        var tiers = settings.Models.Ordered().ToDictionary(t => t.Tier, t => t.ModelId);
        var services = AiCatalog.All.Select(entry => entry.Id switch
        {
            _ when entry.Tier is not null => On(entry.Id, bedrock, tiers[entry.Tier], off ?? $"routing tier {entry.Tier}"),
            "guardrails" => Resource(entry.Id, bedrock, settings.GuardrailId, off, "AI:GuardrailId is empty", $"version {settings.GuardrailVersion}"),
            "knowledge-bases" => Resource(entry.Id, bedrock, settings.KnowledgeBaseId, off, "AI:KnowledgeBaseId is empty", "runbooks and past incidents"),
            "bedrock-agents" => Resource(entry.Id, bedrock, settings.AgentId is null ? null : $"{settings.AgentId}/{settings.AgentAliasId}", off, "AI:AgentId is empty", "per-service memory"),
            "q-business" => Resource(entry.Id, bedrock, settings.QBusinessApplicationId, off, "AI:QBusinessApplicationId is empty", "knowledge questions"),
            "comprehend" => On(entry.Id, bedrock && settings.UseComprehend, "DetectSentiment, DetectPiiEntities", off ?? (settings.UseComprehend ? "sentiment and PII" : "AI:UseComprehend is false")),
            "textract" => On(entry.Id, bedrock && settings.UseTextract, "DetectDocumentText", off ?? (settings.UseTextract ? "attached documents" : "AI:UseTextract is false")),
            "openai-compatible" => On(entry.Id, provider == AiProvider.OpenAI, settings.OpenAI.Model,
                provider == AiProvider.OpenAI ? $"{settings.OpenAI.Endpoint}" : $"the provider is {provider.ToString().ToLowerInvariant()}"),
            _ => On(entry.Id, true, "rules, search, lexicon, guard", provider == AiProvider.Local ? $"the provider ({providerReason})" : "the fallback"),
        }).ToList();
        return new AiConfiguration(at, provider.ToString().ToLowerInvariant(), providerReason, services);
    }

    private static AiConfiguredService On(string id, bool on, string? model, string detail) => new(id, on, on ? model : null, detail);

    private static AiConfiguredService Resource(string id, bool bedrock, string? resource, string? off, string empty, string use) =>
        string.IsNullOrWhiteSpace(resource) ? new(id, false, null, off ?? empty) : On(id, bedrock, resource, off ?? use);
}
