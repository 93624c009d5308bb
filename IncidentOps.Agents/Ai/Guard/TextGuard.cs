using System.Text;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Guard;

/// <summary>The guard: <see cref="LocalGuard"/> always; on AWS, Comprehend's PII entities and the Bedrock guardrail when configured.</summary>
public sealed class TextGuard(AiEngine engine, PaidCalls calls, ComprehendClient comprehend, BedrockGuardrailClient guardrails, IOptions<AiOptions> options)
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
            var (entities, _) = await calls.CallAsync(AiServices.Comprehend, "DetectPiiEntities", "DetectPiiEntities", context,
                async ct => (await comprehend.DetectPiiEntitiesAsync(verdict.SafeText, ct), 0, 0), cancellationToken);
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
            var (outcome, _) = await calls.CallAsync(AiServices.BedrockGuardrails, guardrailId, "ApplyGuardrail", context,
                async ct => (await guardrails.ApplyAsync(guardrailId, settings.GuardrailVersion, isInput, verdict.SafeText, ct), 0, 0), cancellationToken);
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
}
