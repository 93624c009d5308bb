using System.Text.Json;
using IncidentOps.Core.Domain;

namespace IncidentOps.Figures;

/// <summary>
/// The few numbers the business figures need from one incident, kept by the metrics worker in Redis so a recompute
/// reads 48 bytes an incident (<see cref="FactRow"/>) instead of the whole document with its alerts. Times are unix milliseconds.
/// </summary>
/// <param name="FirstSeverity">The severity of the incident's first alert: escalation is rising above it.</param>
/// <param name="MaxAlertSeverity">The most severe alert that ever joined the incident.</param>
/// <param name="PreventionCandidate">The prediction agent's <c>preventionCandidate</c> flag; null while no prediction completed.</param>
/// <param name="PlanProposed">The resolution agent completed and proposed a plan.</param>
/// <param name="PreviousIncidentId">The incident this one recurs (its alert fired again after that one was resolved).</param>
public sealed record IncidentFact(
    string Id,
    string Service,
    Severity Severity,
    Severity FirstSeverity,
    Severity MaxAlertSeverity,
    IncidentStatus Status,
    long DetectedMs,
    long? FirstAlertMs,
    long? AcknowledgedMs,
    long? ResolvedMs,
    bool? PreventionCandidate,
    bool PlanProposed,
    string? PreviousIncidentId)
{
    /// <summary>A person approved a remediation (an approval-required action) for the incident.</summary>
    public bool RemediationApproved { get; init; }

    /// <summary>An approved remediation ran and its executor reported success.</summary>
    public bool RemediationSucceeded { get; init; }

    /// <summary>Resolved or closed: both keep the time it was resolved.</summary>
    public bool IsResolved => ResolvedMs is not null;

    public bool IsOpen => Status is IncidentStatus.Triggered or IncidentStatus.Acknowledged or IncidentStatus.Mitigated;

    public bool Escalated => (Severity)Math.Max((int)Severity, (int)MaxAlertSeverity) > FirstSeverity;

    public static IncidentFact From(Incident incident, IReadOnlyDictionary<AgentPhase, AgentRun> runs, IReadOnlyList<ProposedAction>? actions = null)
    {
        var remediations = (actions ?? []).Where(a => a.Kind == StepKind.ApprovalRequired).ToList();
        return From(incident, PreventionFlag(runs), runs.TryGetValue(AgentPhase.Resolution, out var plan) && plan.State == AgentState.Completed) with
        {
            RemediationApproved = remediations.Any(a => a.State is ActionState.Approved or ActionState.Running or ActionState.Succeeded or ActionState.Failed),
            RemediationSucceeded = remediations.Any(a => a.State == ActionState.Succeeded),
        };
    }

    public static IncidentFact From(Incident incident, bool? preventionCandidate, bool planProposed)
    {
        var first = incident.Alerts.Count == 0 ? null : incident.Alerts.MinBy(a => (a.OccurredAt, a.ReceivedAt));
        return new IncidentFact(
            incident.Id,
            incident.Service,
            incident.Severity,
            first?.Severity ?? incident.Severity,
            incident.Alerts.Count == 0 ? incident.Severity : incident.Alerts.Max(a => a.Severity),
            incident.Status,
            incident.DetectedAt.ToUnixTimeMilliseconds(),
            (first?.OccurredAt ?? incident.OccurredAt).ToUnixTimeMilliseconds(),
            incident.AcknowledgedAt?.ToUnixTimeMilliseconds(),
            incident.ResolvedAt?.ToUnixTimeMilliseconds(),
            preventionCandidate,
            planProposed,
            incident.PreviousIncidentId);
    }

    /// <summary>The boolean <c>preventionCandidate</c> of a completed prediction result, or null when there is none.</summary>
    public static bool? PreventionFlag(IReadOnlyDictionary<AgentPhase, AgentRun> runs) =>
        runs.TryGetValue(AgentPhase.Prediction, out var run)
        && run is { State: AgentState.Completed, Result: { ValueKind: JsonValueKind.Object } result }
        && result.TryGetProperty("preventionCandidate", out var flag)
        && flag.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? flag.GetBoolean()
            : null;

    /// <summary>The packed form, once the store has given the incident, its service and its predecessor their numbers.</summary>
    public FactRow ToRow(int slot, int serviceIndex, int previousSlot) => new(
        slot, serviceIndex, previousSlot, Severity, FirstSeverity, MaxAlertSeverity, Status,
        FactRow.FlagsOf(PreventionCandidate, PlanProposed, RemediationApproved, RemediationSucceeded), DetectedMs,
        FirstAlertMs ?? FactRow.None, AcknowledgedMs ?? FactRow.None, ResolvedMs ?? FactRow.None);
}
