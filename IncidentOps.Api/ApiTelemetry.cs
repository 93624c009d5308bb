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
        Meter.CreateCounter<long>("incidentops.ingest.refused", "{request}", "Ingest requests answered 503 because the API was at capacity.");

    public static void RecordOverload() => IngestRefused.Add(1);

    public static void Record(IngestStatus status)
    {
        AlertsIngested.Add(1, new KeyValuePair<string, object?>("outcome", status.ToString().ToLowerInvariant()));
        if (status == IngestStatus.Opened)
        {
            IncidentsOpened.Add(1);
        }
    }
}
