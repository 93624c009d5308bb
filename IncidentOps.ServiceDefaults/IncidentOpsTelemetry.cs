namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Names of IncidentOps' ActivitySources and Meters: one of each per service, all under
/// "IncidentOps." so the defaults export every one of them to the Aspire dashboard.
/// </summary>
public static class IncidentOpsTelemetry
{
    public const string Api = "IncidentOps.Api";
    public const string Agents = "IncidentOps.Agents";
    public const string Metrics = "IncidentOps.Metrics";

    /// <summary>Gauge on the Metrics meter: mean time to resolve (minutes) of incidents detected in the last 7 days.</summary>
    public const string MttrGauge = "incidentops.mttr";

    /// <summary>Gauge on the Metrics meter: incidents not yet resolved.</summary>
    public const string OpenIncidentsGauge = "incidentops.incidents.open";

    public const string SourcePattern = "IncidentOps.*";
    public const string MeterPattern = "IncidentOps.*";
}
