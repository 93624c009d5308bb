using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The local engine's reasoning: the incident read into evidence per candidate cause (<see cref="CauseEvidenceReader"/>:
/// words weighed by where they sit, figures, the nearest labelled and confirmed cases, recent changes), then weighed by
/// the learned, calibrated model (<see cref="CauseModel"/>), which says "unknown" when no cause is likely enough, and
/// each cause's first fix by the learned first-fix model (<see cref="RemediationModel"/>).
/// </summary>
public sealed class LocalReasoner(CauseEvidenceReader reader, CauseModel model, RemediationModel fixes, TimeProvider time)
{
    /// <summary>Below this, a cause is not evidence enough to name (then the answer is "unknown").</summary>
    public const double MinimumConfidence = 0.2;

    /// <summary>The incident read into evidence (what <see cref="Reason(CauseEvidence, Incident, IReadOnlyList{ServiceMemoryEntry})"/> and a model's candidates come from).</summary>
    public CauseEvidence Read(Incident incident, IReadOnlyList<ChangeEvent> changes, IReadOnlyList<ConcurrentIncident> concurrent) =>
        reader.Read(incident, changes, time.GetUtcNow(), concurrent);

    /// <summary>The candidate causes a model is given (<see cref="CauseModel.Candidates"/>).</summary>
    public IReadOnlyList<CauseHypothesis> Candidates(CauseEvidence evidence) => model.Candidates(evidence);

    public IReadOnlyList<CauseHypothesis> Reason(CauseEvidence evidence, Incident incident, IReadOnlyList<ServiceMemoryEntry> history)
    {
        var hypotheses = fixes.Suggest(model.Hypotheses(evidence), evidence);
        // The service's earlier causes are context for a responder, not a weight: the model was not fitted on them.
        return [.. hypotheses.Select(h => history.Count(e => string.Equals(e.Cause, h.Category, StringComparison.OrdinalIgnoreCase)) is var before and > 0
            ? h with { Evidence = [.. h.Evidence, $"{incident.Service} had {before} earlier incident(s) caused by {h.Category.Replace('_', ' ')}"] }
            : h)];
    }
}
