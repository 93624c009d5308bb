using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai;

/// <summary>What the AI layer is asked about: the incident, the phase asking, and optional extra text (notes, a question).</summary>
public sealed record IncidentAiContext(Incident Incident, AgentPhase Phase)
{
    /// <summary>Changes of the incident's service shortly before it (the diagnosis looks them up): evidence for every engine.</summary>
    public IReadOnlyList<ChangeEvent> RecentChanges { get; init; } = [];

    /// <summary>Other services' incidents open in the same minutes (the diagnosis reads them): evidence of a cause behind this one.</summary>
    public IReadOnlyList<Reasoning.ConcurrentIncident> Concurrent { get; init; } = [];
}

/// <summary>A possible root cause, the evidence for it, and how confident the engine is (0..1).</summary>
public sealed record CauseHypothesis(string Category, string Cause, double Confidence, IReadOnlyList<string> Evidence)
{
    /// <summary>The first fix of the nearest labelled case of this kind, when one is near enough to say.</summary>
    public string? SuggestedRemediation { get; init; }

    /// <summary>The other service where the cause sits (its evidence is stronger in that service's concurrent incident), else null.</summary>
    public string? Service { get; init; }

    /// <summary>That service's incident.</summary>
    public string? IncidentId { get; init; }
}

/// <summary>
/// The reasoning result, identical in shape whichever engine produced it. <see cref="Engine"/> says which
/// (<c>local</c>, <c>bedrock</c>, <c>openai-compatible</c>); <see cref="Model"/> and <see cref="RouteReason"/> say why.
/// </summary>
public sealed record ReasonedCauses(
    IReadOnlyList<CauseHypothesis> Hypotheses,
    string Engine,
    string Model,
    string? RouteReason,
    IReadOnlyList<string> Notes);

public enum RetrievalKind
{
    Runbook,
    ResolvedIncident,
    KnowledgeBase,
}

/// <summary>One retrieved passage: what it is, where it came from, and its score (0..1, higher is better).</summary>
public sealed record RetrievalMatch(RetrievalKind Kind, string Title, string Source, double Score, string Snippet);

/// <summary>Ranked matches, or <see cref="NoGoodMatch"/> when nothing scored above the threshold.</summary>
public sealed record RetrievedKnowledge(IReadOnlyList<RetrievalMatch> Matches, bool NoGoodMatch, string Engine, double Threshold);

public enum GuardAction
{
    Allow,
    Redacted,
    Blocked,
}

/// <summary>
/// What the guard made of a text: the text safe to send on (PII redacted), what was redacted,
/// prompt-injection markers found, and whether a guardrail blocked it.
/// </summary>
public sealed record GuardVerdict(
    GuardAction Action,
    string SafeText,
    IReadOnlyList<string> Redactions,
    IReadOnlyList<string> InjectionMarkers,
    string Engine,
    string? Message);

public enum SentimentLabel
{
    Positive,
    Negative,
    Neutral,
    Mixed,
}

/// <summary>Sentiment of human text, score from -1 (very negative) to 1 (very positive), and urgency 0..1.</summary>
public sealed record SentimentScore(SentimentLabel Label, double Score, double Urgency, string Engine, IReadOnlyList<string> Cues);

/// <summary>An answer to a knowledge question with the sources it rests on.</summary>
public sealed record KnowledgeAnswer(string Answer, IReadOnlyList<RetrievalMatch> Sources, string Engine, bool Answered);

/// <summary>One remembered incident of a service: what it was, what caused it, what fixed it.</summary>
public sealed record ServiceMemoryEntry(string IncidentId, string Service, string Summary, string? Cause, string? Resolution, DateTimeOffset At);

/// <summary>Text pulled from a document, line by line, with the engine that read it.</summary>
public sealed record ExtractedText(string Text, int Lines, string Engine);
