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

    private static long _workBacklog;

    /// <summary>The latest <see cref="Pipeline.WorkBacklog"/> sample, read by the gauge at each export.</summary>
    public static long WorkBacklog
    {
        get => Interlocked.Read(ref _workBacklog);
        set => Interlocked.Exchange(ref _workBacklog, value);
    }

    private static readonly ObservableGauge<long> WorkBacklogGauge = Meter.CreateObservableGauge(
        "incidentops.agents.work.lag", () => WorkBacklog, "{item}", "Entries of agents:work waiting for or in the agents' hands.");

    private static long _deadLetters;

    /// <summary>The latest length of <c>agents:dead</c>, read by the gauge at each export.</summary>
    public static long DeadLetters
    {
        get => Interlocked.Read(ref _deadLetters);
        set => Interlocked.Exchange(ref _deadLetters, value);
    }

    private static readonly ObservableGauge<long> DeadLettersGauge = Meter.CreateObservableGauge(
        "incidentops.agents.dead_letters", () => DeadLetters, "{item}", "Work items in agents:dead (failed every delivery; a person should look).");

    public static void RecordPhase(AgentPhase phase, string outcome, TimeSpan elapsed) =>
        PhaseDuration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>("phase", phase.ToString().ToLowerInvariant()),
            new KeyValuePair<string, object?>("outcome", outcome));
}
