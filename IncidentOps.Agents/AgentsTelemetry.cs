using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents;

internal static class AgentsTelemetry
{
    public static readonly ActivitySource Source = new(IncidentOpsTelemetry.Agents);
    private static readonly Meter Meter = new(IncidentOpsTelemetry.Agents);

    private static readonly Histogram<double> PhaseDuration =
        Meter.CreateHistogram<double>("incidentops.agent.phase.duration", "s", "Time one agent phase took, by phase and outcome.");

    public static void RecordPhase(AgentPhase phase, string outcome, TimeSpan elapsed) =>
        PhaseDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("phase", phase.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("outcome", outcome));
}
