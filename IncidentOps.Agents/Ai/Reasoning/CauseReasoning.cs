using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Agents.Ai.Memory;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// Root-cause reasoning: the local reasoner always (it is the answer without a model, and the hints a model is given);
/// a routed Bedrock (or OpenAI-compatible) model when one is configured, guarded on the way in and out, falling back
/// to the local answer when the budget is spent, the guardrail blocks, or every model fails.
/// </summary>
public sealed class CauseReasoning(
    AiEngine engine,
    ModelRouter router,
    AiAccounting accounting,
    PaidCalls calls,
    TextGuard guard,
    ServiceMemory memory,
    LocalReasoner reasoner,
    ConfirmedCaseSync confirmedCases,
    IOptions<AiOptions> options,
    ILogger<CauseReasoning> logger)
{
    /// <summary>Ranked root-cause hypotheses with evidence and confidence for the incident.</summary>
    public async Task<ReasonedCauses> ReasonAsync(IncidentAiContext context, CancellationToken cancellationToken)
    {
        var history = await memory.RecallAsync(context, cancellationToken);
        await confirmedCases.RefreshAsync(cancellationToken);
        var started = accounting.Start();
        var evidence = reasoner.Read(context.Incident, context.RecentChanges, context.Concurrent);
        var local = reasoner.Reason(evidence, context.Incident, history);
        if (engine.Chat is null)
        {
            // Nothing leaves the process, but injection attempts in alert text are still worth a flag for the responder.
            var read = IncidentPrompts.Diagnosis(context.Incident, history, []);
            var markers = LocalGuard.FindInjectionMarkers(IncidentPrompts.Diagnosis(context.Incident, [], []));
            await accounting.RecordAsync(new AiCallFacts(AiServices.Local, "rules", "Reason", context, Detail: AiCallDetails.Reasoning(read, local, LocalGuard.Check(read))), started);
            return new ReasonedCauses(local, "local", "rules", null,
                markers.Count == 0 ? [] : [$"prompt-injection markers in the alert text: {string.Join(", ", markers)} (treated as data)"]);
        }

        if (await calls.BudgetRefusalAsync() is { } refused)
        {
            await calls.RecordBudgetRefusalAsync(engine.ChatService, "any", ChatOperation, context, refused);
            return await LocalReasoningAsync(context, local, [], fallbackFrom: null, refused);
        }

        // The model weighs the same evidence the local engine read: its candidate causes with their calibrated
        // probabilities and evidence, and the service's recent changes.
        var prompt = IncidentPrompts.Diagnosis(context.Incident, history, reasoner.Candidates(evidence), context.RecentChanges);
        var verdict = await guard.GuardAsync(prompt, context, cancellationToken);
        var notes = verdict.Message is null ? new List<string>() : [verdict.Message];
        if (verdict.Action == GuardAction.Blocked)
        {
            return await LocalReasoningAsync(context, local, notes, fallbackFrom: null, "guardrail blocked the input");
        }

        IReadOnlyList<RouteCandidate> candidates = engine.Provider == AiProvider.OpenAI
            ? [new RouteCandidate("openai", options.Value.OpenAI.Model, "AI:Provider is OpenAI: its one configured model")]
            : (await router.RouteAsync(context, verdict.SafeText.Length)).Candidates;
        string? fallbackFrom = null, lastError = null;
        foreach (var candidate in candidates)
        {
            // A fallback is another paid call: the budget may have run out while earlier candidates were tried.
            if (fallbackFrom is not null && await calls.BudgetRefusalAsync() is { } spent)
            {
                await calls.RecordBudgetRefusalAsync(engine.ChatService, candidate.Model, ChatOperation, context, spent);
                return await LocalReasoningAsync(context, local, notes, fallbackFrom, spent);
            }

            var (skip, why) = await calls.ShouldSkipAsync(engine.ChatService, candidate.Model);
            if (skip)
            {
                notes.Add($"{candidate.Tier} skipped: {why}");
                (fallbackFrom, lastError) = (fallbackFrom ?? candidate.Model, lastError ?? why);
                continue;
            }

            var reason = fallbackFrom is null ? candidate.Reason : $"{candidate.Reason}: {fallbackFrom} failed ({lastError})";
            AiLog.Routed(logger, "Reason", context.Incident.Id, candidate.Model, reason);
            started = accounting.Start();
            try
            {
                var response = await AskModelAsync(candidate.Model, verdict.SafeText, cancellationToken);
                var facts = new AiCallFacts(engine.ChatService, candidate.Model, ChatOperation, context,
                    response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, RouteReason: reason, FallbackFrom: fallbackFrom,
                    Detail: AiCallDetails.Reasoning(verdict.SafeText, [], verdict, response.Text));
                if (response.FinishReason == ChatFinishReason.ContentFilter)
                {
                    await accounting.RecordAsync(facts with { Error = "guardrail intervened on the output" }, started);
                    return await LocalReasoningAsync(context, local, notes, candidate.Model, "the guardrail intervened on the model's answer");
                }

                var hypotheses = IncidentPrompts.ParseHypotheses(response.Text);
                await accounting.RecordAsync(facts with { Detail = AiCallDetails.Reasoning(verdict.SafeText, hypotheses, verdict, response.Text) }, started);
                return new ReasonedCauses(hypotheses, engine.Name, candidate.Model, reason, notes);
            }
            catch (Exception ex) when (PaidCalls.IsServiceFailure(ex, cancellationToken))
            {
                lastError = PaidCalls.Describe(ex);
                AiLog.CallFailed(logger, engine.ChatService, "Reason", candidate.Model, lastError);
                await accounting.RecordAsync(new AiCallFacts(engine.ChatService, candidate.Model, ChatOperation, context, Error: lastError, RouteReason: reason, FallbackFrom: fallbackFrom), started);
                fallbackFrom = candidate.Model;
            }
        }

        return await LocalReasoningAsync(context, local, notes, fallbackFrom, $"every model failed (last: {lastError})");
    }

    private string ChatOperation => (engine.Provider, options.Value.StreamReasoning) switch
    {
        (AiProvider.OpenAI, _) => "ChatCompletions",
        (_, true) => "ConverseStream",
        _ => "Converse",
    };

    private async Task<ChatResponse> AskModelAsync(string model, string prompt, CancellationToken cancellationToken)
    {
        var chatOptions = new ChatOptions
        {
            ModelId = model,
            MaxOutputTokens = options.Value.Routing.MaxOutputTokens,
            Temperature = 0.2f,
            ResponseFormat = IncidentPrompts.HypothesesFormat,
        };
        ChatMessage[] messages = [new(ChatRole.System, IncidentPrompts.DiagnosisSystem), new(ChatRole.User, prompt)];
        return options.Value.StreamReasoning
            ? await engine.Chat!.GetStreamingResponseAsync(messages, chatOptions, cancellationToken).ToChatResponseAsync(cancellationToken)
            : await engine.Chat!.GetResponseAsync(messages, chatOptions, cancellationToken);
    }

    private async Task<ReasonedCauses> LocalReasoningAsync(IncidentAiContext context, IReadOnlyList<CauseHypothesis> local, List<string> notes, string? fallbackFrom, string why)
    {
        notes.Add($"local engine answered: {why}");
        var read = IncidentPrompts.Diagnosis(context.Incident, [], []);
        await accounting.RecordAsync(
            new AiCallFacts(AiServices.Local, "rules", "Reason", context, RouteReason: $"fallback: {why}", FallbackFrom: fallbackFrom,
                Detail: AiCallDetails.Reasoning(read, local, LocalGuard.Check(read))),
            accounting.Start());
        return new ReasonedCauses(local, "local", "rules", $"fallback: {why}", notes);
    }
}
