namespace IncidentOps.Core.Ai;

/// <summary>
/// One call to an AI service, as accounted for and as published on <c>ops:events</c> (<c>ai.call</c>),
/// so the transparency dashboard can attribute every step to a service, a model and a cost.
/// </summary>
/// <param name="Service">The AI service: <c>bedrock-runtime</c>, <c>comprehend</c>, <c>local</c>, ... (see <see cref="AiServices"/>).</param>
/// <param name="Model">The model or resource called (a model id, a guardrail id, a knowledge base id, or the local engine part).</param>
/// <param name="Operation">The API operation: <c>Converse</c>, <c>Retrieve</c>, <c>DetectSentiment</c>, ...</param>
/// <param name="RouteReason">Why this model was chosen (routing), when a router chose it.</param>
/// <param name="FallbackFrom">The model that was tried first and failed, when this call is a fallback.</param>
public sealed record AiCall(
    string Service,
    string Model,
    string Operation,
    string? IncidentId,
    string? Phase,
    long InputTokens,
    long OutputTokens,
    double LatencyMs,
    double CostUsd,
    bool Succeeded,
    string? Error,
    string? RouteReason,
    string? FallbackFrom,
    DateTimeOffset At);

/// <summary>The names of the AI services the layer accounts for.</summary>
public static class AiServices
{
    public const string BedrockRuntime = "bedrock-runtime";
    public const string BedrockGuardrails = "bedrock-guardrails";
    public const string BedrockKnowledgeBases = "bedrock-knowledge-bases";
    public const string BedrockAgents = "bedrock-agents";
    public const string QBusiness = "q-business";
    public const string Comprehend = "comprehend";
    public const string Textract = "textract";
    public const string OpenAi = "openai-compatible";
    public const string Local = "local";
}

/// <summary>Usage figures over one window: counts, tokens, cost, latency percentiles.</summary>
public sealed record AiUsageFigures(
    long Calls,
    long Errors,
    long InputTokens,
    long OutputTokens,
    double CostUsd,
    double? LatencyP50Ms,
    double? LatencyP95Ms,
    long Fallbacks)
{
    public static AiUsageFigures Empty { get; } = new(0, 0, 0, 0, 0, null, null, 0);

    public double ErrorRate => Calls == 0 ? 0 : Math.Round((double)Errors / Calls, 4);
}

public enum AiHealth
{
    Healthy,
    Degraded,
    Down,
}

/// <summary>One model (or resource) of one service: last hour, all time, and its health.</summary>
public sealed record AiModelUsage(
    string Service,
    string Model,
    AiHealth Health,
    string HealthReason,
    AiUsageFigures LastHour,
    AiUsageFigures AllTime,
    string? LastError,
    DateTimeOffset? LastCallAt);

/// <summary>One AI service: its health (the worst of its models) and its figures summed over its models.</summary>
public sealed record AiServiceStatus(
    string Service,
    AiHealth Health,
    string HealthReason,
    AiUsageFigures LastHour,
    AiUsageFigures AllTime,
    IReadOnlyList<AiModelUsage> Models);

/// <summary>A routing decision as recorded: which model, for what task, and why.</summary>
public sealed record AiRouteRecord(string Service, string Model, string Operation, string? IncidentId, string Reason, string? FallbackFrom, DateTimeOffset At);

/// <summary>Every AI service's health and figures, the totals, and the latest routing decisions.</summary>
public sealed record AiServicesReport(
    DateTimeOffset At,
    AiUsageFigures LastHour,
    AiUsageFigures AllTime,
    IReadOnlyList<AiServiceStatus> Services,
    IReadOnlyList<AiRouteRecord> RecentRoutes,
    string Definitions)
{
    /// <summary>Every AI service of the system (<see cref="AiCatalog"/>), configured or not, with its state and 24-hour series.</summary>
    public IReadOnlyList<AiCatalogStatus> Catalog { get; init; } = [];

    /// <summary>The provider the agents worker chose (local, bedrock, openai-compatible), once it has reported.</summary>
    public string? Provider { get; init; }

    public string? ProviderReason { get; init; }
}
