using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Agents.Pipeline;

public sealed class AgentOptions
{
    public const string Section = "Agents";

    /// <summary>Incidents one worker analyses at the same time.</summary>
    [Range(1, 1024)]
    public int MaxConcurrentIncidents { get; set; } = 16;

    /// <summary>A work item unacknowledged this long is taken over by another worker (its owner is presumed dead).</summary>
    [Range(1, 3600)]
    public int ClaimIdleSeconds { get; set; } = 60;

    /// <summary>Tries per phase before it is marked FAILED and the pipeline moves on.</summary>
    [Range(1, 10)]
    public int MaxAttemptsPerPhase { get; set; } = 3;

    /// <summary>Upper bound on one phase's run.</summary>
    [Range(1, 600)]
    public int PhaseTimeoutSeconds { get; set; } = 60;
}
