using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>
/// Runbooks and similar past incidents: Bedrock Knowledge Bases when configured, else the local search
/// (<see cref="LocalKnowledge"/>); knowledge questions to Amazon Q Business when configured, else the local search's best match.
/// </summary>
public sealed class KnowledgeRetrieval(
    AiEngine engine,
    PaidCalls calls,
    AiAccounting accounting,
    TextGuard guard,
    LocalKnowledge knowledge,
    KnowledgeBaseClient knowledgeBases,
    QBusinessClient qBusiness,
    IOptions<AiOptions> options,
    TimeProvider time)
{
    /// <summary>How long an incident's retrieval is reused: diagnosis and resolution ask the same question moments apart.</summary>
    private static readonly TimeSpan RecentRetrievalTtl = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (RetrievedKnowledge Result, DateTimeOffset At)> _recentRetrievals = new();

    /// <summary>
    /// Runbooks and similar past incidents for the incident: Bedrock Knowledge Bases when configured, else local search.
    /// The same incident asked again within a minute (its diagnosis, then its resolution plan) gets the same
    /// answer without a second search or a second paid Knowledge Bases call.
    /// </summary>
    public async Task<RetrievedKnowledge> RetrieveAsync(IncidentAiContext context, CancellationToken cancellationToken)
    {
        var query = QueryOf(context);
        var key = $"{context.Incident.Id}\n{query}";
        var now = time.GetUtcNow();
        if (_recentRetrievals.TryGetValue(key, out var recent) && now - recent.At < RecentRetrievalTtl)
        {
            return recent.Result;
        }

        var result = await RetrieveAsync(query, context, cancellationToken);
        foreach (var stale in _recentRetrievals.Where(e => now - e.Value.At >= RecentRetrievalTtl))
        {
            _recentRetrievals.TryRemove(stale.Key, out _);
        }

        _recentRetrievals[key] = (result, now);
        return result;
    }

    public async Task<RetrievedKnowledge> RetrieveAsync(string query, IncidentAiContext? context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (engine.OnAws && !string.IsNullOrWhiteSpace(settings.KnowledgeBaseId))
        {
            var safe = LocalGuard.Redact(query).Text;
            var (matches, _) = await calls.CallAsync(AiServices.BedrockKnowledgeBases, settings.KnowledgeBaseId, "Retrieve", context,
                async ct => (await knowledgeBases.RetrieveAsync(settings.KnowledgeBaseId, safe, settings.Retrieval.MaxResults, ct), 0, 0), cancellationToken);
            if (matches is not null)
            {
                var good = matches.Where(m => m.Score >= settings.Retrieval.MinScore).ToList();
                return new RetrievedKnowledge(good, good.Count == 0, "bedrock-knowledge-bases", settings.Retrieval.MinScore);
            }
        }

        var started = accounting.Start();
        var local = await knowledge.SearchAsync(query, null, cancellationToken);
        await accounting.RecordAsync(new AiCallFacts(AiServices.Local, "search", "Retrieve", context, Detail: AiCallDetails.Retrieval(query, local)), started);
        return local;
    }

    /// <summary>The runbook behind a local match (its read-only commands and remediations), if it is one.</summary>
    public Runbook? RunbookOf(RetrievalMatch match) => knowledge.RunbookOf(match);

    /// <summary>Whether <see cref="AskAsync"/> reaches a knowledge assistant (Amazon Q Business) rather than the local search.</summary>
    public bool HasKnowledgeAssistant => engine.OnAws && !string.IsNullOrWhiteSpace(options.Value.QBusinessApplicationId);

    /// <summary>A knowledge question: Amazon Q Business when configured, else answered from the local search's best match.</summary>
    public async Task<KnowledgeAnswer> AskAsync(string question, IncidentAiContext? context, CancellationToken cancellationToken)
    {
        var appId = options.Value.QBusinessApplicationId;
        var safe = LocalGuard.Redact(question).Text;
        if (engine.OnAws && !string.IsNullOrWhiteSpace(appId))
        {
            var (a, error) = await calls.CallAsync(AiServices.QBusiness, appId, "ChatSync", context,
                async ct => (await qBusiness.ChatSyncAsync(appId, safe, ct), 0, 0), cancellationToken);
            // The answer is a tuple (a struct): on failure it is default, not null, so the error says whether there is one.
            if (error is null)
            {
                // The answer is model output on its way to a person and into a plan: guarded like input is.
                var guarded = await guard.GuardAsync(a.Answer, context, cancellationToken, isInput: false);
                if (guarded.Action != GuardAction.Blocked)
                {
                    return new KnowledgeAnswer(guarded.SafeText, a.Sources, "q-business", Answered: guarded.SafeText.Length > 0);
                }
            }
        }

        var found = await RetrieveAsync(safe, context, cancellationToken);
        return found.NoGoodMatch
            ? new KnowledgeAnswer("No runbook or past incident matches this question well enough.", [], found.Engine, Answered: false)
            : new KnowledgeAnswer($"{found.Matches[0].Title}: {found.Matches[0].Snippet}", found.Matches, found.Engine, Answered: true);
    }

    private static string QueryOf(IncidentAiContext context) =>
        string.Join(' ', context.Incident.Alerts.Take(20).Select(a => $"{a.Summary} {a.Labels.GetValueOrDefault("alertname")} {a.Class} {a.Component}").Prepend(context.Incident.Title));
}
