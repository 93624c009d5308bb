namespace IncidentOps.Core.Ai;

/// <summary>
/// One AI service of the system as the transparency view lists it, whether or not it is configured: which accounting
/// service (and routing tier) its calls are recorded under, and the setting that switches it on.
/// </summary>
public sealed record AiCatalogEntry(string Id, string Name, string Service, string? Tier, string Setting);

/// <summary>Every AI service IncidentOps can use, always listed in this order (the local engine last: the default).</summary>
public static class AiCatalog
{
    private const string OnBedrock = "AI:Provider=Bedrock (or Auto with AWS credentials)";

    public static IReadOnlyList<AiCatalogEntry> All { get; } =
    [
        new("claude-sonnet", "Bedrock · Claude Sonnet", AiServices.BedrockRuntime, "claude-sonnet", $"{OnBedrock}; model AI:Models:ClaudeSonnet"),
        new("claude-haiku", "Bedrock · Claude Haiku", AiServices.BedrockRuntime, "claude-haiku", $"{OnBedrock}; model AI:Models:ClaudeHaiku"),
        new("nova-pro", "Bedrock · Nova Pro", AiServices.BedrockRuntime, "nova-pro", $"{OnBedrock}; model AI:Models:NovaPro"),
        new("nova-lite", "Bedrock · Nova Lite", AiServices.BedrockRuntime, "nova-lite", $"{OnBedrock}; model AI:Models:NovaLite"),
        new("nova-micro", "Bedrock · Nova Micro", AiServices.BedrockRuntime, "nova-micro", $"{OnBedrock}; model AI:Models:NovaMicro"),
        new("guardrails", "Bedrock Guardrails", AiServices.BedrockGuardrails, null, $"{OnBedrock} and AI:GuardrailId"),
        new("knowledge-bases", "Bedrock Knowledge Bases", AiServices.BedrockKnowledgeBases, null, $"{OnBedrock} and AI:KnowledgeBaseId"),
        new("bedrock-agents", "Bedrock Agents", AiServices.BedrockAgents, null, $"{OnBedrock}, AI:AgentId and AI:AgentAliasId"),
        new("q-business", "Amazon Q Business", AiServices.QBusiness, null, $"{OnBedrock} and AI:QBusinessApplicationId"),
        new("comprehend", "Amazon Comprehend", AiServices.Comprehend, null, $"{OnBedrock} and AI:UseComprehend=true"),
        new("textract", "Amazon Textract", AiServices.Textract, null, $"{OnBedrock} and AI:UseTextract=true"),
        new("openai-compatible", "OpenAI-compatible endpoint", AiServices.OpenAi, null, "AI:Provider=OpenAI and AI:OpenAI:Endpoint"),
        new("local", "Local engine (rules, search, lexicon, guard)", AiServices.Local, null, "always on: the default, and the fallback of every service"),
    ];
}

/// <summary>What the agents worker runs with, published to Redis at its start so the API can say what is configured.</summary>
public sealed record AiConfiguration(DateTimeOffset At, string Provider, string ProviderReason, IReadOnlyList<AiConfiguredService> Services);

/// <summary>One catalog entry as configured: whether it is on, the model or resource it calls, and why (in words).</summary>
public sealed record AiConfiguredService(string Id, bool Configured, string? Model, string Detail);

/// <summary>One hour of one AI service: calls, errors and cost (the transparency chart of the last 24 hours).</summary>
public sealed record AiHourPoint(DateTimeOffset Hour, long Calls, long Errors, double CostUsd);

/// <summary>The states a listed AI service can be in.</summary>
public static class AiServiceStates
{
    public const string Healthy = "healthy";
    public const string Degraded = "degraded";
    public const string Down = "down";
    public const string NotConfigured = "not_configured";
    public const string Unknown = "unknown";
}

/// <summary>One AI service of the catalog with its state, the setting to set when it is off, and its figures.</summary>
public sealed record AiCatalogStatus(
    string Id,
    string Name,
    string Service,
    string? Model,
    string State,
    string StateReason,
    string Setting,
    AiUsageFigures LastHour,
    AiUsageFigures AllTime,
    IReadOnlyList<AiHourPoint> Last24Hours);
