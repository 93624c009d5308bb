using System.ComponentModel.DataAnnotations;

namespace IncidentOps.Metrics.Retention;

/// <summary>
/// How long each kind of data is kept (section <c>Retention</c>); the README's retention table lists them. The ages take
/// fractions (<c>EventsHours=0.05</c> is 3 minutes), so a soak can reach them within its run.
/// </summary>
public sealed class RetentionOptions
{
    public const string Section = "Retention";

    /// <summary>How often the trimmer runs.</summary>
    [Range(1, 86_400)]
    public int IntervalSeconds { get; set; } = 60;

    /// <summary>
    /// Events of <c>ops:events</c> older than this are trimmed (never one the metrics worker has not consumed yet).
    /// A hub client or the retrieval index whose cursor falls behind the trim resyncs (reloads the state).
    /// </summary>
    [Range(0.001, 24 * 400)]
    public double EventsHours { get; set; } = 72;

    /// <summary>Dead letters (<c>agents:dead</c>) older than this are trimmed.</summary>
    [Range(1, 400)]
    public int DeadLetterDays { get; set; } = 14;

    /// <summary>
    /// After an incident is resolved, its dedup and grouping keys are kept this long: a repeat of its alert within it opens
    /// a new incident linked to it (<c>previousIncidentId</c>), and an Events v2 acknowledge or resolve of its key still finds it.
    /// </summary>
    [Range(0, 24 * 400)]
    public double DedupGraceHours { get; set; } = 24;

    /// <summary>
    /// Resolved (or closed) incidents are deleted with everything stored under them this long after resolution, once the
    /// metrics facts hold them (the business figures keep counting them); 0 keeps them for ever.
    /// </summary>
    [Range(0, 3650)]
    public double ResolvedIncidentDays { get; set; } = 30;

    /// <summary>An open incident's timeline keeps its newest this many entries (an incident open through a storm gathers thousands).</summary>
    [Range(100, 1_000_000)]
    public int TimelineMaxEntries { get; set; } = 5_000;

    /// <summary>Incidents handled per schedule per pass (the rest wait for the next pass).</summary>
    [Range(1, 100_000)]
    public int BatchSize { get; set; } = 500;
}
