using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Agents.Ai;

public enum AiProvider
{
    /// <summary>Bedrock when AWS credentials are configured (environment, profile, container role), else Local.</summary>
    Auto,
    Local,
    Bedrock,
    OpenAI,
}

/// <summary>The AI layer's settings (section <c>AI</c>): provider, region and endpoints, models, prices, retrieval.</summary>
public sealed class AiOptions : IValidatableObject
{
    public const string Section = "AI";

    public AiProvider Provider { get; set; } = AiProvider.Auto;

    [Required]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Endpoint overrides (tests point these at the fake; VPC endpoints in production). Empty = the public endpoint.</summary>
    public AwsEndpointOptions Endpoints { get; set; } = new();

    /// <summary>Model ids (or cross-region inference profile ids) of each routing tier, cheapest first.</summary>
    public ModelTierOptions Models { get; set; } = new();

    public RoutingOptions Routing { get; set; } = new();

    /// <summary>Bedrock guardrail applied to model input and output; empty = the local guard only.</summary>
    public string? GuardrailId { get; set; }

    public string GuardrailVersion { get; set; } = "DRAFT";

    /// <summary>Bedrock Knowledge Base for runbooks and past incidents; empty = local search.</summary>
    public string? KnowledgeBaseId { get; set; }

    /// <summary>Bedrock agent (and alias) with memory enabled, for per-service memory; empty = Redis memory only.</summary>
    public string? AgentId { get; set; }

    public string? AgentAliasId { get; set; }

    /// <summary>Amazon Q Business application for knowledge questions; empty = answered from local search.</summary>
    public string? QBusinessApplicationId { get; set; }

    /// <summary>Use Comprehend for sentiment and PII when the provider is Bedrock.</summary>
    public bool UseComprehend { get; set; } = true;

    /// <summary>Use Textract for attached documents (PDF, images) when the provider is Bedrock.</summary>
    public bool UseTextract { get; set; } = true;

    public OpenAiOptions OpenAI { get; set; } = new();

    /// <summary>
    /// Price table keyed by routing tier (<c>nova-micro</c> ... <c>claude-sonnet</c>), by model id with ':' written as '_'
    /// (':' separates configuration keys), or by service name (<c>comprehend</c>); missing = free (the local engine).
    /// </summary>
    public Dictionary<string, AiPrice> Prices { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public RetrievalOptions Retrieval { get; set; } = new();

    /// <summary>Retries of throttled (429) and 5xx calls, with exponential backoff and jitter from this base delay.</summary>
    [Range(1, 10)]
    public int MaxRetries { get; set; } = 3;

    [Range(1, 60_000)]
    public int RetryBaseDelayMs { get; set; } = 1000;

    /// <summary>Upper bound on one attempt of one call (a Sonnet answer can take a while).</summary>
    [Range(1, 600)]
    public int AttemptTimeoutSeconds { get; set; } = 60;

    /// <summary>Read the reasoning tier's answers through ConverseStream (tokens as they come) instead of Converse.</summary>
    public bool StreamReasoning { get; set; }

    /// <summary>USD for one call from <see cref="Prices"/>; free when nothing matches (the local engine).</summary>
    public double CostOf(string service, string model, long inputTokens, long outputTokens)
    {
        // Model ids contain ':', the configuration path separator, so prices are keyed by tier name
        // (nova-micro ... claude-sonnet), by a model id with ':' written as '_', or by service name.
        var tier = Models.Ordered().FirstOrDefault(t => t.ModelId == model).Tier;
        var price = Prices.GetValueOrDefault(model.Replace(':', '_')) ?? (tier is null ? null : Prices.GetValueOrDefault(tier)) ?? Prices.GetValueOrDefault(service);
        return price?.CostOf(inputTokens, outputTokens) ?? 0;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == AiProvider.OpenAI && string.IsNullOrWhiteSpace(OpenAI.Endpoint))
        {
            yield return new ValidationResult("AI:OpenAI:Endpoint is required when AI:Provider is OpenAI.", [$"{nameof(OpenAI)}.{nameof(OpenAiOptions.Endpoint)}"]);
        }

        var thresholds = Routing.Thresholds;
        if (thresholds.Count != 4 || thresholds.Zip(thresholds.Skip(1)).Any(p => p.First >= p.Second))
        {
            yield return new ValidationResult("AI:Routing:TierThresholds needs four ascending complexity scores (Nova Lite, Nova Pro, Claude Haiku, Claude Sonnet).", [nameof(Routing)]);
        }

        if (string.IsNullOrWhiteSpace(AgentId) != string.IsNullOrWhiteSpace(AgentAliasId))
        {
            yield return new ValidationResult("AI:AgentId and AI:AgentAliasId go together.", [nameof(AgentId), nameof(AgentAliasId)]);
        }

        foreach (var (name, price) in Prices)
        {
            if (price.InputPer1K < 0 || price.OutputPer1K < 0 || price.PerRequest < 0)
            {
                yield return new ValidationResult($"AI:Prices:{name} has a negative price.", [nameof(Prices)]);
            }
        }
    }
}

public sealed class AwsEndpointOptions
{
    public string? BedrockRuntime { get; set; }

    public string? BedrockAgentRuntime { get; set; }

    public string? QBusiness { get; set; }

    public string? Comprehend { get; set; }

    public string? Textract { get; set; }
}

public sealed class ModelTierOptions
{
    public string NovaMicro { get; set; } = "us.amazon.nova-micro-v1:0";

    public string NovaLite { get; set; } = "us.amazon.nova-lite-v1:0";

    public string NovaPro { get; set; } = "us.amazon.nova-pro-v1:0";

    public string ClaudeHaiku { get; set; } = "us.anthropic.claude-3-5-haiku-20241022-v1:0";

    public string ClaudeSonnet { get; set; } = "us.anthropic.claude-3-7-sonnet-20250219-v1:0";

    public IReadOnlyList<(string Tier, string ModelId)> Ordered() =>
        [("nova-micro", NovaMicro), ("nova-lite", NovaLite), ("nova-pro", NovaPro), ("claude-haiku", ClaudeHaiku), ("claude-sonnet", ClaudeSonnet)];
}

public sealed class RoutingOptions
{
    /// <summary>Spend (USD) over the last hour at which routing stops choosing the expensive tiers.</summary>
    [Range(0, 1_000_000)]
    public double HourlyBudgetUsd { get; set; } = 2.0;

    /// <summary>Share of the hourly budget spent after which the Claude tiers are no longer chosen.</summary>
    [Range(0.0, 1.0)]
    public double ConserveAt { get; set; } = 0.8;

    /// <summary>Complexity score (0..10) at or above which each tier above Nova Micro is chosen; empty = 2, 4, 6, 8.</summary>
    /// <remarks>Empty by default because the configuration binder appends to an array's initial elements.</remarks>
    public double[] TierThresholds { get; set; } = [];

    public IReadOnlyList<double> Thresholds => TierThresholds.Length == 0 ? [2.0, 4.0, 6.0, 8.0] : TierThresholds;

    [Range(1, 8192)]
    public int MaxOutputTokens { get; set; } = 1024;
}

public sealed class OpenAiOptions
{
    /// <summary>Base address of an OpenAI-compatible API (Ollama: http://localhost:11434/v1, vLLM, OpenAI).</summary>
    public string? Endpoint { get; set; }

    /// <summary>The API key; never logged. Ollama and vLLM accept any value.</summary>
    public string? ApiKey { get; set; }

    public string Model { get; set; } = "llama3.1";
}

/// <summary>USD per 1,000 input tokens, per 1,000 output tokens, and per request (Comprehend, Textract, ...).</summary>
public sealed class AiPrice
{
    public double InputPer1K { get; set; }

    public double OutputPer1K { get; set; }

    public double PerRequest { get; set; }

    public double CostOf(long inputTokens, long outputTokens) =>
        Math.Round((inputTokens / 1000.0 * InputPer1K) + (outputTokens / 1000.0 * OutputPer1K) + PerRequest, 8);
}

public sealed class RetrievalOptions
{
    /// <summary>Folder of markdown runbooks, relative to the app's folder unless absolute.</summary>
    public string RunbookFolder { get; set; } = "Runbooks";

    /// <summary>Normalised score (0..1) below which a match is not good enough to show.</summary>
    [Range(0.0, 1.0)]
    public double MinScore { get; set; } = 0.3;

    [Range(1, 50)]
    public int MaxResults { get; set; } = 5;

    /// <summary>How often a search first indexes the incidents resolved since the last look (read from <c>ops:events</c>; no rebuild). 0: every search.</summary>
    [Range(0, 86_400)]
    public int RefreshSeconds { get; set; } = 5;

    /// <summary>
    /// Resolved incidents the index holds at most: it starts with the newest this many, and each one resolved after the
    /// start is added, letting the oldest go past this cap (so the agents worker's memory is bounded however long it runs).
    /// </summary>
    [Range(0, 100_000)]
    public int MaxIncidents { get; set; } = 10_000;
}
