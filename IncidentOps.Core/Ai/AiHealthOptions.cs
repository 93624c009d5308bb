using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Core.Ai;

/// <summary>
/// When an AI service counts as degraded or down. Read by the agents (to route around a down model)
/// and by the API (to report), so both bind the same section.
/// </summary>
public sealed class AiHealthOptions
{
    public const string Section = "AI:Health";

    /// <summary>Minutes of recent calls health is judged on.</summary>
    [Range(1, 60)]
    public int WindowMinutes { get; set; } = 5;

    /// <summary>Error rate in the window at or above which the service is degraded.</summary>
    [Range(0.0, 1.0)]
    public double DegradedErrorRate { get; set; } = 0.1;

    /// <summary>Error rate in the window at or above which the service is down (with at least <see cref="MinCallsForRate"/> calls).</summary>
    [Range(0.0, 1.0)]
    public double DownErrorRate { get; set; } = 0.5;

    /// <summary>Calls in the window before an error rate is trusted.</summary>
    [Range(1, 1000)]
    public int MinCallsForRate { get; set; } = 4;

    /// <summary>p95 latency in the window (ms) above which the service is degraded.</summary>
    [Range(1, 600_000)]
    public double DegradedP95Ms { get; set; } = 8000;

    /// <summary>Failures in a row after which the service is down whatever the window says (a throttled or broken model).</summary>
    [Range(1, 100)]
    public int ConsecutiveFailuresDown { get; set; } = 3;

    /// <summary>
    /// A down service or model is skipped, but probed with one real call once its last call is this old:
    /// health only recovers through a success, so a model never called again would stay down for ever.
    /// </summary>
    [Range(1, 3600)]
    public int ProbeDownAfterSeconds { get; set; } = 30;
}
