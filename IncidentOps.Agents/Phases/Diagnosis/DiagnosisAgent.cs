using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Drills;
using IncidentOps.Core.Storage;

namespace IncidentOps.Agents.Phases.Diagnosis;

/// <summary>
/// Ranks root-cause hypotheses with the evidence behind each, and says "unknown" when the evidence is thin.
/// The hypotheses come from the AI layer (<see cref="IncidentAi.ReasonAsync"/>: the local engine or a routed
/// Bedrock model, same shape, both given the service's recent production changes); attached documents
/// weigh in, and the similar past incidents and what fixed them are attached.
/// </summary>
public sealed class DiagnosisAgent(IncidentAi ai, ChangeLog changes, FixOutcomes fixes, AttachmentStore attachments) : IAgent
{
    /// <summary>Below this, a hypothesis is not evidence enough to name a cause.</summary>
    public const double MinimumConfidence = LocalReasoner.MinimumConfidence;

    /// <summary>Below this, a second or third hypothesis is not listed (each is shown with its probability; see <see cref="CauseModel"/>).</summary>
    public const double ListedConfidence = CauseModel.ListedBelow;

    public AgentPhase Phase => AgentPhase.Diagnosis;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        await reportProgress(20, "Collecting evidence");
        var (from, to) = (incident.OccurredAt - CauseEvidenceReader.ChangeWindow, incident.LastAlertAt ?? incident.DetectedAt);
        var recent = DrillAlerts.VisibleTo(incident, await changes.BetweenAsync(incident.Service, from, to));
        // The changes of the services the alerts name (those read as concurrent incidents bring their own): weighed apart
        // by the reasoning, not listed as this service's changes (a rollback is of this service's deploys).
        var named = await Task.WhenAll(NamedServices.In(incident, context.Concurrent.Select(c => c.Incident.Service)).Select(s => changes.BetweenAsync(s, from, to)));
        IReadOnlyList<ChangeEvent> suspects = [.. recent, .. DrillAlerts.VisibleTo(incident, [.. named.SelectMany(c => c)])];
        var (hypotheses, engine, notes) = await FromAiAsync(incident, suspects, context.Concurrent, reportProgress, cancellationToken);

        await reportProgress(60, "Reading attached documents");
        var documents = await attachments.ListAsync(incident.Id);
        hypotheses = AttachmentEvidence.Apply(hypotheses, documents);
        // The first must be likely enough to name; the others are listed while they are worth a look.
        hypotheses = hypotheses is [var first, ..] && first.Confidence >= MinimumConfidence
            ? [first, .. hypotheses.Skip(1).Where(h => h.Confidence >= ListedConfidence).Take(2)]
            : [];
        // Symptoms alone (slow, failing) name no cause: that is "unknown", not a guess.
        if (!hypotheses.Any(h => IncidentCategories.Find(h.Category)?.Symptom != true))
        {
            hypotheses = [];
        }

        await reportProgress(80, "Looking up similar incidents");
        var similar = await SimilarAsync(ai, incident, cancellationToken);
        var pastFixes = hypotheses.Count == 0 ? [] : await fixes.ForCategoryAsync(hypotheses[0].Category);

        var result = hypotheses.Count == 0
            ? new DiagnosisResult([], Unknown: true, "Unknown: the alerts do not carry enough evidence to name a cause.")
            : new DiagnosisResult(hypotheses, Unknown: false, $"Most likely: {hypotheses[0].Cause} (confidence {hypotheses[0].Confidence:0.00}).");
        return result with
        {
            Engine = engine,
            Notes = notes,
            RecentChanges = [.. recent.Select(c => HarmlessChanges.Listed(c, incident.OccurredAt))],
            SimilarIncidents = similar,
            PastFixes = [.. pastFixes.Select(f => new PastFix(f.Remediation, f.Tried, f.Worked, f.SuccessRate))],
        };
    }

    private async Task<(List<Hypothesis>, string, IReadOnlyList<string>)> FromAiAsync(Incident incident, IReadOnlyList<ChangeEvent> recent, IReadOnlyList<ConcurrentIncident> concurrent, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        await reportProgress(40, $"Reasoning ({ai.Provider.ToString().ToLowerInvariant()})");
        var reasoning = await ai.ReasonAsync(new IncidentAiContext(incident, Phase) { RecentChanges = recent, Concurrent = concurrent }, cancellationToken);
        // Which engine reasoned, and why that one, always first: the transparency view attributes every conclusion.
        IReadOnlyList<string> notes = [$"engine: {reasoning.Engine} ({reasoning.Model}){(reasoning.RouteReason is { } why ? $": {why}" : string.Empty)}", .. reasoning.Notes];
        return ([.. reasoning.Hypotheses.Select(h => new Hypothesis(h.Category, h.Cause, h.Confidence, h.Evidence) { SuggestedRemediation = h.SuggestedRemediation, Service = h.Service, IncidentId = h.IncidentId })], $"{reasoning.Engine}:{reasoning.Model}", notes);
    }

    private static async Task<IReadOnlyList<SimilarIncident>> SimilarAsync(IncidentAi ai, Incident incident, CancellationToken cancellationToken)
    {
        var found = await ai.RetrieveAsync(new IncidentAiContext(incident, AgentPhase.Diagnosis), cancellationToken);
        return [.. found.Matches
            .Where(m => m.Kind == RetrievalKind.ResolvedIncident && !m.Source.Contains(incident.Id, StringComparison.Ordinal))
            .Take(3)
            .Select(m => new SimilarIncident(m.Title, m.Source, m.Score, m.Snippet))];
    }
}
