using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

/// <summary>
/// Expected time to resolve and the chance of escalation. Until similar-incident history is used
/// (the agent-pipeline issue), the figures come from severity baselines, and <see cref="PredictionResult.Basis"/> says so.
/// </summary>
public sealed class PredictionAgent : IAgent
{
    public AgentPhase Phase => AgentPhase.Prediction;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        var detection = context.ResultOf<DetectionResult>(AgentPhase.Detection);
        await reportProgress(40, "Estimating time to resolve");

        var (median, spread) = incident.Severity switch
        {
            Severity.Critical => (45.0, 2.0),
            Severity.Error => (60.0, 2.0),
            Severity.Warning => (90.0, 2.5),
            _ => (120.0, 3.0),
        };

        await reportProgress(80, "Estimating escalation risk");
        var urgency = detection?.Urgency ?? 0.5;
        var escalation = incident.Severity == Severity.Critical ? 0 : Math.Round(Math.Min(0.95, urgency * 0.6 + (incident.Alerts.Count > 3 ? 0.2 : 0)), 2);
        return new PredictionResult(
            median, Math.Round(median / spread, 1), Math.Round(median * spread, 1), escalation,
            PreventionCandidate: incident.Severity == Severity.Warning && escalation >= 0.5,
            Basis: $"severity baseline for {incident.Severity.ToString().ToLowerInvariant()} incidents (no similar-incident history used yet)");
    }
}
