using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Agents.Pipeline;

public sealed class AgentOptions
{
    public const string Section = "Agents";

    /// <summary>Incidents one worker analyses at the same time.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentIncidents { get; set; } = 16;

    /// <summary>
    /// New incidents' first analyses one worker runs at the same time, taken in order of arrival (the rest wait in
    /// <c>agents:urgent</c>, where another worker can take them). Four: an analysis waits on Redis between its steps, and
    /// on a quiet 2-core machine four at a time drained a storm's 30 new incidents in 3 s where two took 4–6 s (probes'
    /// p95 0.51–0.60 s against 0.64–2.29 s, bench/README.md "Session 6"); on a machine loaded 50–100 by other work, fewer
    /// were better (each waited for all of them), which is why it was two.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentNewIncidents { get; set; } = 4;

    /// <summary>
    /// Re-analyses (of incidents that changed) one worker runs at the same time, within <see cref="MaxConcurrentIncidents"/>.
    /// They also pause between phases while a new incident is being analysed: in a storm, new incidents go first.
    /// </summary>
    [Range(1, 1024)]
    public int MaxConcurrentReanalyses { get; set; } = 4;

    /// <summary>A work item unacknowledged this long is taken over by another worker (its owner is presumed dead).</summary>
    [Range(1, 3600)]
    public int ClaimIdleSeconds { get; set; } = 60;

    /// <summary>A work item delivered more often than this without finishing is moved to <c>agents:dead</c>.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>Tries per phase before it is marked FAILED and the pipeline moves on.</summary>
    [Range(1, 10)]
    public int MaxAttemptsPerPhase { get; set; } = 3;

    /// <summary>Upper bound on one phase's run.</summary>
    [Range(1, 600)]
    public int PhaseTimeoutSeconds { get; set; } = 60;

    /// <summary>The resolve-time SLO per severity, in minutes: the prediction says whether an incident is likely to breach it.</summary>
    [Range(1, 100_000)]
    public double SloMinutesCritical { get; set; } = 60;

    [Range(1, 100_000)]
    public double SloMinutesError { get; set; } = 240;

    [Range(1, 100_000)]
    public double SloMinutesWarning { get; set; } = 1440;

    [Range(1, 100_000)]
    public double SloMinutesInfo { get; set; } = 4320;
}
