using System.Globalization;
using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Core.Ai;

namespace IncidentOps.Agents.Ai;

/// <summary>
/// The audit detail of a call (what it read, what it answered, the guard's verdict, what it added), always through
/// the local guard's redaction, so a person can read why the agents concluded what they did without seeing PII.
/// </summary>
internal static class AiCallDetails
{
    public static AiCallDetail Reasoning(string prompt, IReadOnlyList<CauseHypothesis> hypotheses, GuardVerdict? guard, string? answer = null) => new(
        Safe(prompt),
        answer is null ? Describe(hypotheses) : Safe(answer),
        guard is null ? null : Verdict(guard),
        hypotheses.Count == 0 ? "no hypothesis above the threshold: the diagnosis says unknown" : $"the diagnosis's hypotheses (top: {Describe(hypotheses[0])})");

    public static AiCallDetail Retrieval(string query, RetrievedKnowledge result) => new(
        Safe(query),
        result.Matches.Count == 0 ? "no match" : string.Join('\n', result.Matches.Select(m => $"{m.Kind.ToString().ToLowerInvariant()} {m.Title} ({m.Score.ToString("0.00", CultureInfo.InvariantCulture)})")),
        null,
        result.NoGoodMatch ? "nothing similar enough: no past incident or runbook weighed in" : $"{result.Matches.Count} similar incidents and runbooks as evidence for the hypotheses and the plan");

    public static AiCallDetail Sentiment(string text, SentimentScore score) => new(
        Safe(text),
        $"{score.Label.ToString().ToLowerInvariant()} {score.Score.ToString("0.00", CultureInfo.InvariantCulture)}, urgency {score.Urgency.ToString("0.00", CultureInfo.InvariantCulture)}"
            + (score.Cues.Count == 0 ? string.Empty : $" ({string.Join(", ", score.Cues)})"),
        null,
        "urgency from the tone of people's notes");

    public static string Verdict(GuardVerdict guard) =>
        $"{guard.Engine}: {guard.Action.ToString().ToLowerInvariant()}"
        + (guard.Redactions.Count == 0 ? string.Empty : $"; redacted {string.Join(", ", guard.Redactions)}")
        + (guard.InjectionMarkers.Count == 0 ? string.Empty : $"; injection markers {string.Join(", ", guard.InjectionMarkers)} (treated as data)")
        + (guard.Message is null ? string.Empty : $"; {guard.Message}");

    private static string Safe(string text) => LocalGuard.Redact(text).Text;

    private static string Describe(IReadOnlyList<CauseHypothesis> hypotheses) =>
        hypotheses.Count == 0 ? "unknown" : string.Join('\n', hypotheses.Select(Describe));

    private static string Describe(CauseHypothesis h) =>
        $"{h.Category} {h.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}: {h.Cause}";
}
