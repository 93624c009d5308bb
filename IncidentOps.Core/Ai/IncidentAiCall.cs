namespace IncidentOps.Core.Ai;

/// <summary>
/// What a call saw and said, for the audit of one incident's analysis: the prompt and the answer as the guard left
/// them (PII already redacted, cut to a few thousand characters), the guardrail's verdict, and what the call added.
/// Stored only on the incident's own list, never on <c>ops:events</c>.
/// </summary>
public sealed record AiCallDetail(string? Prompt, string? Answer, string? Guardrail, string? Contribution)
{
    public const int MaxTextLength = 4000;

    public static string? Cut(string? text) => text is null || text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength), "… (cut)");
}

/// <summary>One AI call the agents made for an incident, with its detail.</summary>
public sealed record IncidentAiCall(AiCall Call, string Contribution, string? Prompt, string? Answer, string? Guardrail)
{
    public static IncidentAiCall From(AiCall call, AiCallDetail? detail) => new(
        call,
        detail?.Contribution ?? DefaultContribution(call),
        AiCallDetail.Cut(detail?.Prompt),
        AiCallDetail.Cut(detail?.Answer),
        detail?.Guardrail);

    /// <summary>What a call of this operation adds to the conclusion, when the caller did not say more.</summary>
    public static string DefaultContribution(AiCall call) => (call.Succeeded, call.Operation) switch
    {
        (false, _) => $"nothing: the call failed ({call.Error ?? "error"}); a fallback answered",
        (_, "Reason" or "Converse" or "ConverseStream" or "ChatCompletions") => "root-cause hypotheses for the diagnosis",
        (_, "Retrieve") => "similar past incidents and runbooks (evidence for the hypotheses and the plan)",
        (_, "Sentiment" or "DetectSentiment") => "urgency from the tone of people's notes",
        (_, "DetectPiiEntities" or "ApplyGuardrail") => "safety: what was redacted or blocked before any model saw the text",
        (_, "DetectDocumentText") => "the text of an attachment, weighed as evidence",
        (_, "InvokeAgent") => "what the service's memory recalls of earlier incidents",
        (_, "ChatSync") => "an answer from the knowledge base",
        _ => call.Operation,
    };
}

/// <summary>Every AI call of one incident's analysis, oldest first, with the totals.</summary>
public sealed record IncidentAiCalls(
    string IncidentId,
    IReadOnlyList<IncidentAiCall> Calls,
    int Count,
    long InputTokens,
    long OutputTokens,
    double TotalCostUsd,
    string Definition);
