using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Sentiment;

/// <summary>Sentiment of human text: Amazon Comprehend on AWS when enabled, else <see cref="LexiconSentiment"/>.</summary>
public sealed class SentimentReading(AiEngine engine, PaidCalls calls, AiAccounting accounting, ComprehendClient comprehend, IOptions<AiOptions> options)
{
    /// <summary>Sentiment and urgency of human text (responder notes, customer reports): Comprehend on AWS, else the lexicon.</summary>
    public async Task<SentimentScore> SentimentAsync(string text, IncidentAiContext? context, CancellationToken cancellationToken)
    {
        if (engine.OnAws && options.Value.UseComprehend)
        {
            var safe = LocalGuard.Redact(text).Text;
            var (score, _) = await calls.CallAsync(AiServices.Comprehend, "DetectSentiment", "DetectSentiment", context,
                async ct => (await comprehend.DetectSentimentAsync(safe, ct), 0, 0), cancellationToken);
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
}
