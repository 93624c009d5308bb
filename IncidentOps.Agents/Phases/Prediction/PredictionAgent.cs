using IncidentOps.Agents.Phases.Detection;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Figures.Statistics;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Phases.Prediction;

/// <summary>
/// Expected time to resolve (a point and an 80% interval from how long similar incidents took), the chance
/// of escalating to critical, and whether the SLO for resolving is likely to be breached. A warning-level
/// incident likely to escalate is a prevention candidate: resolving it before it does counts as prevented.
/// </summary>
public sealed class PredictionAgent(IncidentStore store, IOptions<AgentOptions> options, TimeProvider time) : IAgent
{
    /// <summary>Fewer similar incidents than this and the estimate widens to the severity, then to a baseline.</summary>
    public const int MinimumHistory = 5;

    private static readonly TimeSpan HistoryWindow = TimeSpan.FromDays(90);

    public AgentPhase Phase => AgentPhase.Prediction;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        var detection = context.ResultOf<DetectionResult>(AgentPhase.Detection);
        await reportProgress(30, "Finding similar resolved incidents");
        var (durations, basis) = await HistoryAsync(incident);

        await reportProgress(60, "Estimating time to resolve");
        var (point, low, high) = durations.Length >= MinimumHistory
            ? (Quantiles.Of(durations, 0.5)!.Value, Quantiles.Of(durations, 0.1)!.Value, Quantiles.Of(durations, 0.9)!.Value)
            : Baseline(incident.Severity);
        basis = durations.Length >= MinimumHistory ? basis : $"severity baseline for {Word(incident.Severity)} incidents (fewer than {MinimumHistory} similar resolved incidents)";

        await reportProgress(80, "Estimating escalation and SLO risk");
        var urgency = detection?.Urgency ?? 0.5;
        var escalation = incident.Severity == Severity.Critical ? 0 : Math.Round(Math.Min(0.95, (urgency * 0.6) + (incident.Alerts.Count > 3 ? 0.2 : 0) + ((detection?.Zones.Count ?? 0) > 1 ? 0.1 : 0)), 2);
        var target = SloMinutes(incident.Severity);
        double? breach = durations.Length >= MinimumHistory ? Math.Round((double)durations.Count(d => d > target) / durations.Length, 2) : null;
        return new PredictionResult(
            Math.Round(point, 1), Math.Round(low, 1), Math.Round(high, 1), escalation,
            PreventionCandidate: incident.Severity is Severity.Warning or Severity.Info && escalation >= 0.5,
            basis)
        {
            SampleSize = durations.Length >= MinimumHistory ? durations.Length : 0,
            SloTargetMinutes = target,
            SloBreachProbability = breach,
            LikelyToBreachSlo = breach is { } p ? p >= 0.5 : point > target,
        };
    }

    /// <summary>Minutes-to-resolve of the service's resolved incidents in the last 90 days, else of the same severity.</summary>
    private async Task<(double[] Minutes, string Basis)> HistoryAsync(Incident incident)
    {
        var now = time.GetUtcNow();
        var resolved = new HashSet<IncidentStatus> { IncidentStatus.Resolved, IncidentStatus.Closed };
        var sameService = await DurationsAsync(new IncidentQuery(resolved, null, incident.Service, now - HistoryWindow, null, null, 200), incident.Id);
        if (sameService.Length >= MinimumHistory)
        {
            return (sameService, $"{sameService.Length} resolved incidents of {incident.Service} in the last 90 days");
        }

        var sameSeverity = await DurationsAsync(new IncidentQuery(resolved, incident.Severity, null, now - HistoryWindow, null, null, 200), incident.Id);
        return (sameSeverity, $"{sameSeverity.Length} resolved {Word(incident.Severity)} incidents in the last 90 days");
    }

    private async Task<double[]> DurationsAsync(IncidentQuery query, string self)
    {
        // Times and statuses only: the documents, not every alert of every incident in the window.
        var (items, _) = await store.QueryIncidentsAsync(query, withAlerts: false);
        return [.. items.Where(i => i.Id != self && i.ResolvedAt is { } r && r >= i.DetectedAt)
            .Select(i => (i.ResolvedAt!.Value - i.DetectedAt).TotalMinutes).Order()];
    }

    private double SloMinutes(Severity severity) => severity switch
    {
        Severity.Critical => options.Value.SloMinutesCritical,
        Severity.Error => options.Value.SloMinutesError,
        Severity.Warning => options.Value.SloMinutesWarning,
        _ => options.Value.SloMinutesInfo,
    };

    private static (double, double, double) Baseline(Severity severity)
    {
        var (median, spread) = severity switch
        {
            Severity.Critical => (45.0, 2.0),
            Severity.Error => (60.0, 2.0),
            Severity.Warning => (90.0, 2.5),
            _ => (120.0, 3.0),
        };
        return (median, median / spread, median * spread);
    }

    private static string Word(Severity severity) => severity.ToString().ToLowerInvariant();
}
