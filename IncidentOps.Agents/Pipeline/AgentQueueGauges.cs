using System.Diagnostics.Metrics;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// The agents' queue gauges an operator alarms on: <c>incidentops.agents.work.lag</c> (what the AWS deployment scales the
/// agents on) and <c>incidentops.agents.dead_letters</c>. Made through the host's <see cref="IMeterFactory"/>, so each
/// worker host reports its own figures (the exporter still finds them by the meter's name).
/// </summary>
public sealed class AgentQueueGauges
{
    private long _workBacklog;
    private long _deadLetters;

    public AgentQueueGauges(IMeterFactory meters)
    {
        var meter = meters.Create(IncidentOpsTelemetry.Agents);
        meter.CreateObservableGauge("incidentops.agents.work.lag", () => WorkBacklog, "{item}", "Entries of agents:work waiting for or in the agents' hands.");
        meter.CreateObservableGauge("incidentops.agents.dead_letters", () => DeadLetters, "{item}", "Work items in agents:dead (failed every delivery; a person should look).");
    }

    /// <summary>The latest <see cref="Pipeline.WorkBacklog"/> sample.</summary>
    public long WorkBacklog
    {
        get => Interlocked.Read(ref _workBacklog);
        set => Interlocked.Exchange(ref _workBacklog, value);
    }

    /// <summary>The latest length of <c>agents:dead</c>.</summary>
    public long DeadLetters
    {
        get => Interlocked.Read(ref _deadLetters);
        set => Interlocked.Exchange(ref _deadLetters, value);
    }
}
