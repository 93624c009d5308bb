using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;

namespace IncidentOps.Metrics.Retention;

/// <summary>The retention decisions, free of I/O: bounds from the clock and the settings, and what is due for one incident.</summary>
public sealed record RetentionRules(RetentionOptions Options, DateTimeOffset Now)
{
    /// <summary>Events before this id are old enough to trim (stream ids are append times in ms).</summary>
    public StreamId EventsKeepFrom => new((Now - TimeSpan.FromHours(Options.EventsHours)).ToUnixTimeMilliseconds(), 0);

    public StreamId DeadLettersKeepFrom => new((Now - TimeSpan.FromDays(Options.DeadLetterDays)).ToUnixTimeMilliseconds(), 0);

    /// <summary>Incidents resolved at or before this have their dedup keys released.</summary>
    public DateTimeOffset DedupReleasedBefore => Now - TimeSpan.FromHours(Options.DedupGraceHours);

    /// <summary>Incidents resolved at or before this are archived; null when incidents are kept for ever.</summary>
    public DateTimeOffset? ArchivedBefore => Options.ResolvedIncidentDays == 0 ? null : Now - TimeSpan.FromDays(Options.ResolvedIncidentDays);

    /// <summary>The lower of the age bound and what a consumer group still needs: unconsumed events are never trimmed.</summary>
    public static StreamId Earliest(StreamId ageBound, StreamId? consumedBound) =>
        consumedBound is { } consumed && consumed < ageBound ? consumed : ageBound;

    /// <summary>What to do with a scheduled incident now.</summary>
    public IncidentRetention Decide(Incident? incident, bool factHeld)
    {
        if (incident is null)
        {
            return IncidentRetention.Unschedule;
        }

        if (incident.IsOpen || incident.ResolvedAt is not { } resolvedAt)
        {
            // Reopened since it was scheduled: the metrics worker schedules it again when it is resolved again.
            return IncidentRetention.Unschedule;
        }

        if (ArchivedBefore is { } archiveBound && resolvedAt <= archiveBound)
        {
            // A drill never becomes a fact (not business); any other incident only goes once the figures hold it.
            return incident.Drill || factHeld ? IncidentRetention.Archive : IncidentRetention.WaitForFact;
        }

        return resolvedAt <= DedupReleasedBefore ? IncidentRetention.ReleaseDedup : IncidentRetention.NotYet;
    }
}

public enum IncidentRetention
{
    NotYet,
    Unschedule,
    ReleaseDedup,
    WaitForFact,
    Archive,
}
