using IncidentOps.Agents.Ai.Local;
using IncidentOps.Core.Ai;

namespace IncidentOps.Agents.Ai;

public sealed partial class IncidentAi
{
    /// <summary>How long an incident's retrieval is reused: diagnosis and resolution ask the same question moments apart.</summary>
    private static readonly TimeSpan RecentRetrievalTtl = TimeSpan.FromMinutes(1);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (Retrieval Result, DateTimeOffset At)> _recentRetrievals = new();

    /// <summary>
    /// Runbooks and similar past incidents for the incident: Bedrock Knowledge Bases when configured, else local search.
    /// The same incident asked again within a minute (its diagnosis, then its resolution plan) gets the same
    /// answer without a second search or a second paid Knowledge Bases call.
    /// </summary>
    public async Task<Retrieval> RetrieveAsync(IncidentAiContext context, CancellationToken cancellationToken)
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

    public async Task<Retrieval> RetrieveAsync(string query, IncidentAiContext? context, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (engine.OnAws && !string.IsNullOrWhiteSpace(settings.KnowledgeBaseId))
        {
            var safe = LocalGuard.Redact(query).Text;
            var (matches, _) = await CallAwsAsync(AiServices.BedrockKnowledgeBases, settings.KnowledgeBaseId, "Retrieve", context,
                async ct => (await aws.KnowledgeBases.RetrieveAsync(settings.KnowledgeBaseId, safe, settings.Retrieval.MaxResults, ct), 0, 0), cancellationToken);
            if (matches is not null)
            {
                var good = matches.Where(m => m.Score >= settings.Retrieval.MinScore).ToList();
                return new Retrieval(good, good.Count == 0, "bedrock-knowledge-bases", settings.Retrieval.MinScore);
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
            var (a, error) = await CallAwsAsync(AiServices.QBusiness, appId, "ChatSync", context,
                async ct => (await aws.QBusiness.ChatSyncAsync(appId, safe, ct), 0, 0), cancellationToken);
            // The answer is a tuple (a struct): on failure it is default, not null, so the error says whether there is one.
            if (error is null)
            {
                // The answer is model output on its way to a person and into a plan: guarded like input is.
                var guarded = await GuardAsync(a.Answer, context, cancellationToken, isInput: false);
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

    /// <summary>Remembers the incident's cause and fix for its service: in Redis always, and in the Bedrock agent's memory when configured.</summary>
    public async Task RememberAsync(IncidentAiContext context, string? cause, string? resolution, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        var entry = new ServiceMemoryEntry(incident.Id, incident.Service, incident.Title, cause, resolution, time.GetUtcNow());
        await memory.RememberAsync(entry);
        var settings = options.Value;
        if (engine.OnAws && settings.AgentId is { Length: > 0 } agentId && settings.AgentAliasId is { } alias)
        {
            var text = LocalGuard.Redact($"Remember this incident on {entry.Service}: {entry.Summary}. Cause: {entry.Cause ?? "unknown"}. Fix: {entry.Resolution ?? "unknown"}.").Text;
            await CallAwsAsync(AiServices.BedrockAgents, agentId, "InvokeAgent", context,
                async ct => (await aws.Agents.InvokeAsync(agentId, alias, SessionId(entry.IncidentId), MemoryId(entry.Service), text, endSession: true, ct), 0, 0),
                cancellationToken);
        }
    }

    /// <summary>What is remembered about the incident's service; with a Bedrock agent, its memory's summary comes first.</summary>
    public async Task<IReadOnlyList<ServiceMemoryEntry>> RecallAsync(IncidentAiContext context, CancellationToken cancellationToken)
    {
        var service = context.Incident.Service;
        // What the service's *other* incidents concluded: an incident re-analysed must not count its own earlier conclusion as history.
        var remembered = (await memory.RecallAsync(service)).Where(e => e.IncidentId != context.Incident.Id).ToList();
        var settings = options.Value;
        if (engine.OnAws && settings.AgentId is { Length: > 0 } agentId && settings.AgentAliasId is { } alias)
        {
            var (summary, _) = await CallAwsAsync(AiServices.BedrockAgents, agentId, "InvokeAgent", context,
                async ct => (await aws.Agents.InvokeAsync(agentId, alias, SessionId(context.Incident.Id), MemoryId(service),
                    $"What do you remember about earlier incidents on {service}? Answer briefly.", endSession: false, ct), 0, 0),
                cancellationToken);
            if (!string.IsNullOrWhiteSpace(summary))
            {
                return [new ServiceMemoryEntry("bedrock-agent-memory", service, summary, null, null, DateTimeOffset.MinValue), .. remembered];
            }
        }

        return remembered;
    }

    private static string QueryOf(IncidentAiContext context) =>
        string.Join(' ', context.Incident.Alerts.Take(20).Select(a => $"{a.Summary} {a.Labels.GetValueOrDefault("alertname")} {a.Class} {a.Component}").Prepend(context.Incident.Title));

    // Memory ids and session ids allow [0-9a-zA-Z._:-]; service names are close, so map the rest to '-'.
    private static string MemoryId(string service) => new([.. $"svc-{service}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' ? c : '-')]);

    private static string SessionId(string incidentId) => MemoryId(incidentId)[4..];

    /// <summary>Calls an AWS service with accounting; on failure records it and returns the error, so the caller falls back.</summary>
    private async Task<(T? Value, string? Error)> CallAwsAsync<T>(
        string service, string model, string operation, IncidentAiContext? context,
        Func<CancellationToken, Task<(T Value, long InputTokens, long OutputTokens)>> call, CancellationToken cancellationToken)
    {
        var (skip, why) = await usage.ShouldSkipAsync(service, model);
        if (skip)
        {
            // A down service is not called (each call would wait out its retries); the local engine answers.
            return (default, why);
        }

        if (await BudgetRefusalAsync() is { } refused)
        {
            await RecordBudgetRefusalAsync(service, model, operation, context, refused);
            return (default, refused);
        }

        var started = accounting.Start();
        try
        {
            var (value, input, output) = await call(cancellationToken);
            await accounting.RecordAsync(new AiCallFacts(service, model, operation, context, input, output), started);
            return (value, null);
        }
        catch (Exception ex) when (IsServiceFailure(ex, cancellationToken))
        {
            var error = Describe(ex);
            AiLog.CallFailed(logger, service, operation, model, error);
            await accounting.RecordAsync(new AiCallFacts(service, model, operation, context, Error: error), started);
            return (default, error);
        }
    }
}
