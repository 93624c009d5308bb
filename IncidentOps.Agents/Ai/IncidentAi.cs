using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Agents.Ai.Memory;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Ai.Sentiment;
using IncidentOps.Agents.Ai.TextExtraction;
using IncidentOps.Core.Ai;

namespace IncidentOps.Agents.Ai;

/// <summary>
/// The one door the agents use to every AI capability. Each capability (reasoning, retrieval, guard, sentiment,
/// text extraction, memory) has a local implementation and an AWS one, chosen by <see cref="AiEngine"/>; each returns
/// the same typed shape whichever answered, accounts for every call, and falls back to the local one when AWS fails.
/// </summary>
public sealed class IncidentAi(
    AiEngine engine,
    CauseReasoning reasoning,
    KnowledgeRetrieval retrieval,
    TextGuard guard,
    SentimentReading sentiment,
    DocumentText documents,
    ServiceMemory memory)
{
    /// <summary>How a refusal for budget starts (see <see cref="PaidCalls.BudgetRefusal"/>).</summary>
    public const string BudgetRefusal = PaidCalls.BudgetRefusal;

    public AiProvider Provider => engine.Provider;

    /// <summary>Ranked root-cause hypotheses with evidence and confidence for the incident.</summary>
    public Task<ReasonedCauses> ReasonAsync(IncidentAiContext context, CancellationToken cancellationToken) =>
        reasoning.ReasonAsync(context, cancellationToken);

    /// <summary>Runbooks and similar past incidents for the incident (the same answer for a minute: diagnosis, then resolution, ask it).</summary>
    public Task<RetrievedKnowledge> RetrieveAsync(IncidentAiContext context, CancellationToken cancellationToken) =>
        retrieval.RetrieveAsync(context, cancellationToken);

    public Task<RetrievedKnowledge> RetrieveAsync(string query, IncidentAiContext? context, CancellationToken cancellationToken) =>
        retrieval.RetrieveAsync(query, context, cancellationToken);

    /// <summary>The runbook behind a local match (its read-only commands and remediations), if it is one.</summary>
    public Runbook? RunbookOf(RetrievalMatch match) => retrieval.RunbookOf(match);

    /// <summary>Whether <see cref="AskAsync"/> reaches a knowledge assistant (Amazon Q Business) rather than the local search.</summary>
    public bool HasKnowledgeAssistant => retrieval.HasKnowledgeAssistant;

    public Task<KnowledgeAnswer> AskAsync(string question, IncidentAiContext? context, CancellationToken cancellationToken) =>
        retrieval.AskAsync(question, context, cancellationToken);

    public Task<GuardVerdict> GuardAsync(string text, IncidentAiContext? context, CancellationToken cancellationToken, bool isInput = true) =>
        guard.GuardAsync(text, context, cancellationToken, isInput);

    public Task<SentimentScore> SentimentAsync(string text, IncidentAiContext? context, CancellationToken cancellationToken) =>
        sentiment.SentimentAsync(text, context, cancellationToken);

    public Task<ExtractedText> ExtractTextAsync(byte[] document, string contentType, IncidentAiContext? context, CancellationToken cancellationToken) =>
        documents.ExtractTextAsync(document, contentType, context, cancellationToken);

    public Task RememberAsync(IncidentAiContext context, string? cause, string? resolution, CancellationToken cancellationToken) =>
        memory.RememberAsync(context, cause, resolution, cancellationToken);

    public Task<IReadOnlyList<ServiceMemoryEntry>> RecallAsync(IncidentAiContext context, CancellationToken cancellationToken) =>
        memory.RecallAsync(context, cancellationToken);
}
