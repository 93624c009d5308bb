using System.Text.Json;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Local;
using IncidentOps.Agents.Ai.Routing;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace IncidentOps.Agents.Ai;

/// <summary>
/// The one door the agents use to every AI capability. Each method returns the same typed shape whether the
/// local engine, Bedrock (and its sibling services) or an OpenAI-compatible endpoint answered; every call is
/// accounted for (usage, cost, health, an <c>ai.call</c> event); and any AWS failure falls back to the
/// local engine, which is also what runs with no credentials.
/// </summary>
public sealed partial class IncidentAi(
    AiEngine engine,
    ModelRouter router,
    AiAccounting accounting,
    AiUsageStore usage,
    LocalKnowledge knowledge,
    RedisServiceMemory memory,
    AwsAiClients aws,
    IOptions<AiOptions> options,
    TimeProvider time,
    ILogger<IncidentAi> logger)
{
    public AiProvider Provider => engine.Provider;

    /// <summary>Ranked root-cause hypotheses with evidence and confidence for the incident.</summary>
    public async Task<Reasoning> ReasonAsync(IncidentAiContext context, CancellationToken cancellationToken)
    {
        var history = await RecallAsync(context, cancellationToken);
        var started = accounting.Start();
        var local = LocalReasoner.Reason(context.Incident, history);
        if (engine.Chat is null)
        {
            // Nothing leaves the process, but injection attempts in alert text are still worth a flag for the responder.
            var read = IncidentPrompts.Diagnosis(context.Incident, history, []);
            var markers = LocalGuard.FindInjectionMarkers(IncidentPrompts.Diagnosis(context.Incident, [], []));
            await accounting.RecordAsync(new AiCallFacts(AiServices.Local, "rules", "Reason", context, Detail: AiCallDetails.Reasoning(read, local, LocalGuard.Check(read))), started);
            return new Reasoning(local, "local", "rules", null,
                markers.Count == 0 ? [] : [$"prompt-injection markers in the alert text: {string.Join(", ", markers)} (treated as data)"]);
        }

        if (await BudgetRefusalAsync() is { } refused)
        {
            await RecordBudgetRefusalAsync(engine.ChatService, "any", ChatOperation, context, refused);
            return await LocalReasoningAsync(context, local, [], fallbackFrom: null, refused);
        }

        var prompt = IncidentPrompts.Diagnosis(context.Incident, history, local);
        var guard = await GuardAsync(prompt, context, cancellationToken);
        var notes = guard.Message is null ? new List<string>() : [guard.Message];
        if (guard.Action == GuardAction.Blocked)
        {
            return await LocalReasoningAsync(context, local, notes, fallbackFrom: null, "guardrail blocked the input");
        }

        IReadOnlyList<RouteCandidate> candidates = engine.Provider == AiProvider.OpenAI
            ? [new RouteCandidate("openai", options.Value.OpenAI.Model, "AI:Provider is OpenAI: its one configured model")]
            : (await router.RouteAsync(context, guard.SafeText.Length)).Candidates;
        string? fallbackFrom = null, lastError = null;
        foreach (var candidate in candidates)
        {
            // A fallback is another paid call: the budget may have run out while earlier candidates were tried.
            if (fallbackFrom is not null && await BudgetRefusalAsync() is { } spent)
            {
                await RecordBudgetRefusalAsync(engine.ChatService, candidate.Model, ChatOperation, context, spent);
                return await LocalReasoningAsync(context, local, notes, fallbackFrom, spent);
            }

            var (skip, why) = await usage.ShouldSkipAsync(engine.ChatService, candidate.Model);
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
                var response = await AskModelAsync(candidate.Model, guard.SafeText, cancellationToken);
                var facts = new AiCallFacts(engine.ChatService, candidate.Model, ChatOperation, context,
                    response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0, RouteReason: reason, FallbackFrom: fallbackFrom,
                    Detail: AiCallDetails.Reasoning(guard.SafeText, [], guard, response.Text));
                if (response.FinishReason == ChatFinishReason.ContentFilter)
                {
                    await accounting.RecordAsync(facts with { Error = "guardrail intervened on the output" }, started);
                    return await LocalReasoningAsync(context, local, notes, candidate.Model, "the guardrail intervened on the model's answer");
                }

                var hypotheses = IncidentPrompts.ParseHypotheses(response.Text);
                await accounting.RecordAsync(facts with { Detail = AiCallDetails.Reasoning(guard.SafeText, hypotheses, guard, response.Text) }, started);
                return new Reasoning(hypotheses, engine.Name, candidate.Model, reason, notes);
            }
            catch (Exception ex) when (IsServiceFailure(ex, cancellationToken))
            {
                lastError = Describe(ex);
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

    private async Task<Reasoning> LocalReasoningAsync(IncidentAiContext context, IReadOnlyList<CauseHypothesis> local, List<string> notes, string? fallbackFrom, string why)
    {
        notes.Add($"local engine answered: {why}");
        var read = IncidentPrompts.Diagnosis(context.Incident, [], []);
        await accounting.RecordAsync(
            new AiCallFacts(AiServices.Local, "rules", "Reason", context, RouteReason: $"fallback: {why}", FallbackFrom: fallbackFrom,
                Detail: AiCallDetails.Reasoning(read, local, LocalGuard.Check(read))),
            accounting.Start());
        return new Reasoning(local, "local", "rules", $"fallback: {why}", notes);
    }

    /// <summary>Failures of the remote service (after the resilience handler's retries) that the local engine can stand in for.</summary>
    private static bool IsServiceFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        AwsServiceException or HttpRequestException or FormatException or JsonException or TimeoutRejectedException
            or System.ClientModel.ClientResultException or Polly.CircuitBreaker.BrokenCircuitException => true,
        // No credentials in the chain (AI:Provider=Bedrock on a machine without them): the local engine answers.
        Amazon.Runtime.AmazonClientException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    private static string Describe(Exception ex) => ex switch
    {
        AwsServiceException aws => $"{aws.Code}: {aws.ServiceMessage}",
        Amazon.Runtime.AmazonClientException => $"AWS client: {ex.Message}",
        TimeoutRejectedException or OperationCanceledException => "timed out",
        _ => ex.Message,
    };
}
