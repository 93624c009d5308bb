using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentOps.Core.Ingest;

namespace IncidentOps.Api;

/// <summary>The API's ActivitySource and Meter.</summary>
internal static class ApiTelemetry
{
    public static readonly ActivitySource Source = new(IncidentOpsTelemetry.Api);
    private static readonly Meter Meter = new(IncidentOpsTelemetry.Api);

    private static readonly Counter<long> AlertsIngested =
        Meter.CreateCounter<long>("incidentops.alerts.ingested", "{alert}", "Events accepted at the ingest endpoints, by outcome.");

    private static readonly Counter<long> IncidentsOpened =
        Meter.CreateCounter<long>("incidentops.incidents.opened", "{incident}", "Incidents opened by incoming alerts.");

    private static readonly Counter<long> IngestRefused =
        Meter.CreateCounter<long>("incidentops.ingest.refused", "{request}",
            "Ingest requests refused with nothing stored, by reason: capacity (503, the API at capacity), rate_limit (429, the credential over its rate), storage_unavailable (503, Redis unreachable).");

    private static readonly Counter<long> HubResyncs =
        Meter.CreateCounter<long>("incidentops.hub.resyncs", "{subscription}",
            "Hub subscriptions ended with resync: (the client reloads the state), by reason: overflow (too slow), replay_limit (too far behind), trimmed (its cursor was trimmed away).");

    private static readonly Histogram<double> FrameHandout =
        Meter.CreateHistogram<double>("incidentops.hub.frame.handout", "s",
            "Time of one round of the hub's handout: every connection handed what it had not been yet, the sends that went out at once included.");

    private static readonly Histogram<double> FrameLag =
        Meter.CreateHistogram<double>("incidentops.hub.frame.lag", "s",
            "Time from the append of a live frame's oldest event to ops:events until this hub read it from the log (Redis's clock against this replica's): the tail's share of an alert's way to the screens.");

    /// <summary>Most trace contexts one broadcast span links to (a frame of a storm holds hundreds of events).</summary>
    private const int MaxBroadcastLinks = 32;

    /// <summary>Counts an ingest request refused for <paramref name="reason"/> (one of <see cref="IngestRefusal"/>).</summary>
    public static void RecordRefused(string reason) => IngestRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public static void RecordFrameHandout(TimeSpan took) => FrameHandout.Record(took.TotalSeconds);

    public static void RecordFrameLag(TimeSpan lag) => FrameLag.Record(Math.Max(0, lag.TotalSeconds));

    public static void RecordResync(string reason) => HubResyncs.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>
    /// The span of the hub's first round handing newly read events to this replica's connections: a child of the first
    /// event's trace (the request that caused it: POST → ingest → broadcast is one trace), linked to the other events' traces.
    /// </summary>
    public static Activity? StartBroadcast(IEnumerable<string?> traceparents, int events, int subscribers)
    {
        var contexts = traceparents
            .Select(tp => ActivityContext.TryParse(tp, null, out var context) ? context : default)
            .Where(c => c != default)
            .DistinctBy(c => c.SpanId)
            .Take(MaxBroadcastLinks + 1)
            .ToList();
        var parent = contexts.FirstOrDefault();
        var activity = Source.StartActivity("ops.broadcast", ActivityKind.Producer, parent,
            links: contexts.Skip(1).Select(c => new ActivityLink(c)));
        activity?.SetTag("incidentops.frame.events", events);
        activity?.SetTag("incidentops.hub.subscribers", subscribers);
        return activity;
    }

    public static void Record(IngestStatus status)
    {
        AlertsIngested.Add(1, new KeyValuePair<string, object?>("outcome", status.ToString().ToLowerInvariant()));
        if (status == IngestStatus.Opened)
        {
            IncidentsOpened.Add(1);
        }
    }
}

/// <summary>Why an ingest request was refused: the <c>reason</c> tag of <c>incidentops.ingest.refused</c>.</summary>
internal static class IngestRefusal
{
    /// <summary>503: more alerts in flight and waiting than <c>Ingest:Admission</c> allows.</summary>
    public const string Capacity = "capacity";

    /// <summary>429: the ingest credential is over <c>RateLimits:IngestPerSecond</c>.</summary>
    public const string RateLimit = "rate_limit";

    /// <summary>503: Redis unreachable, so nothing could be stored.</summary>
    public const string StorageUnavailable = "storage_unavailable";
}
