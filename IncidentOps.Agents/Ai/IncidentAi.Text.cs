using System.Text;
using IncidentOps.Agents.Ai.Local;
using IncidentOps.Core.Ai;

namespace IncidentOps.Agents.Ai;

public sealed partial class IncidentAi
{
    /// <summary>
    /// Guards text on its way to a model: local redaction and injection markers always; then, on AWS,
    /// Comprehend's PII entities (names, addresses the patterns miss) and the Bedrock guardrail when configured.
    /// </summary>
    public async Task<GuardVerdict> GuardAsync(string text, IncidentAiContext? context, CancellationToken cancellationToken, bool isInput = true)
    {
        var verdict = LocalGuard.Check(text);
        var settings = options.Value;
        if (!engine.OnAws)
        {
            return verdict;
        }

        if (settings.UseComprehend)
        {
            var (entities, _) = await CallAwsAsync(AiServices.Comprehend, "DetectPiiEntities", "DetectPiiEntities", context,
                async ct => (await aws.Comprehend.DetectPiiEntitiesAsync(verdict.SafeText, ct), 0, 0), cancellationToken);
            if (entities is { Count: > 0 })
            {
                var safe = new StringBuilder(verdict.SafeText);
                foreach (var entity in entities.Where(e => e.End <= safe.Length && e.Begin < e.End).OrderByDescending(e => e.Begin))
                {
                    safe.Remove(entity.Begin, entity.End - entity.Begin).Insert(entity.Begin, $"[{entity.Type}]");
                }

                verdict = verdict with
                {
                    Action = GuardAction.Redacted,
                    SafeText = safe.ToString(),
                    Redactions = [.. verdict.Redactions, .. entities.GroupBy(e => e.Type).Select(g => $"comprehend {g.Key.ToLowerInvariant()} ×{g.Count()}")],
                };
            }
        }

        if (settings.GuardrailId is { Length: > 0 } guardrailId)
        {
            var (outcome, _) = await CallAwsAsync(AiServices.BedrockGuardrails, guardrailId, "ApplyGuardrail", context,
                async ct => (await aws.Guardrails.ApplyAsync(guardrailId, settings.GuardrailVersion, isInput, verdict.SafeText, ct), 0, 0), cancellationToken);
            if (outcome is { Intervened: true })
            {
                verdict = verdict with
                {
                    Action = GuardAction.Blocked,
                    SafeText = outcome.OutputText ?? string.Empty,
                    Engine = "bedrock-guardrails",
                    Message = $"guardrail intervened: {string.Join("; ", outcome.Findings.DefaultIfEmpty("no detail"))}",
                };
            }
        }

        return verdict;
    }

    /// <summary>Whether a proposed action waits for a person (destructive verbs always do).</summary>
    public static ActionPolicy ClassifyAction(string title, string? command) => LocalGuard.Classify(title, command);

    /// <summary>Sentiment and urgency of human text (responder notes, customer reports): Comprehend on AWS, else the lexicon.</summary>
    public async Task<SentimentScore> SentimentAsync(string text, IncidentAiContext? context, CancellationToken cancellationToken)
    {
        if (engine.OnAws && options.Value.UseComprehend)
        {
            var safe = LocalGuard.Redact(text).Text;
            var (score, _) = await CallAwsAsync(AiServices.Comprehend, "DetectSentiment", "DetectSentiment", context,
                async ct => (await aws.Comprehend.DetectSentimentAsync(safe, ct), 0, 0), cancellationToken);
            if (score is not null)
            {
                // Comprehend has no urgency; the lexicon's urgency cues still apply.
                return score with { Urgency = Math.Max(score.Urgency, LexiconSentiment.Score(text).Urgency) };
            }
        }

        var started = accounting.Start();
        var local = LexiconSentiment.Score(text);
        await accounting.RecordAsync(new AiCallFacts(AiServices.Local, "lexicon", "Sentiment", context, Detail: AiCallDetails.Sentiment(text, local)), started);
        return local;
    }

    /// <summary>Text of an attached document: text and markdown pass through; PDFs and images go to Textract on AWS.</summary>
    public async Task<ExtractedText> ExtractTextAsync(byte[] document, string contentType, IncidentAiContext? context, CancellationToken cancellationToken)
    {
        if (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || contentType.Contains("markdown", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            var text = Encoding.UTF8.GetString(document);
            return new ExtractedText(text, text.Split('\n').Length, "local");
        }

        if (engine.OnAws && options.Value.UseTextract)
        {
            // DetectDocumentText reads one page (PDF or image), so its price table entry is per request = per page.
            var (extracted, error) = await CallAwsAsync(AiServices.Textract, "DetectDocumentText", "DetectDocumentText", context,
                async ct => ((await aws.Textract.DetectDocumentTextAsync(document, ct)).Text, 0, 0), cancellationToken);
            return extracted ?? new ExtractedText(string.Empty, 0,
                error?.StartsWith(BudgetRefusal, StringComparison.Ordinal) == true ? $"local: textract {error}" : $"textract failed: {error}");
        }

        return new ExtractedText(string.Empty, 0, $"local: {contentType} needs Textract (AI:Provider Bedrock)");
    }
}
