using System.Diagnostics.Metrics;

namespace IncidentOps.Metrics.Retention;

/// <summary>The trimmer's meter: what each pass removed (by kind) and how long it took.</summary>
public sealed class RetentionTelemetry
{
    public const string MeterName = "IncidentOps.Metrics.Retention";
    private readonly Counter<long> _trimmed;
    private readonly Histogram<double> _duration;
    private long _waitingForFacts;

    public RetentionTelemetry(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _trimmed = meter.CreateCounter<long>("incidentops.retention.trimmed", "{item}",
            "What retention removed, by kind: events, dead_letters, work_entries, timeline_entries, dedup_keys, incidents.");
        _duration = meter.CreateHistogram<double>("incidentops.retention.pass.duration", "s", "Time one retention pass took.");
        meter.CreateObservableGauge("incidentops.retention.waiting_for_facts", () => Interlocked.Read(ref _waitingForFacts), "{incident}",
            "Incidents past their retention kept because the metrics facts do not hold them yet.");
    }

    public void Record(RetentionReport report, TimeSpan elapsed)
    {
        Add("events", report.Events);
        Add("dead_letters", report.DeadLetters);
        Add("work_entries", report.WorkEntries);
        Add("timeline_entries", report.TimelineEntries);
        Add("dedup_keys", report.DedupKeys);
        Add("incidents", report.IncidentsArchived);
        Interlocked.Exchange(ref _waitingForFacts, report.WaitingForFacts);
        _duration.Record(elapsed.TotalSeconds);
    }

    private void Add(string what, long count)
    {
        if (count > 0)
        {
            _trimmed.Add(count, new KeyValuePair<string, object?>("what", what));
        }
    }
}
