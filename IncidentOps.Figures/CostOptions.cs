using IncidentOps.Core.Domain;

namespace IncidentOps.Figures;

/// <summary>
/// The assumptions behind the cost figures (<c>Metrics:Cost:*</c>). Nothing is assumed by default: a figure whose
/// inputs are not all configured is reported as not configured, naming the missing keys.
/// </summary>
public sealed class CostOptions
{
    public const string Section = "Metrics:Cost";

    public string Currency { get; set; } = "USD";

    /// <summary>Cost of one minute of customer impact, by severity (e.g. <c>Metrics:Cost:CostPerMinute:Critical</c>).</summary>
    public Dictionary<Severity, double> CostPerMinute { get; set; } = [];

    /// <summary>What an hour of one responder's time costs; one responder per incident is assumed.</summary>
    public double? ResponderHourlyCost { get; set; }

    /// <summary>The MTTR before IncidentOps, by severity: the yardstick of the faster-resolution saving.</summary>
    public Dictionary<Severity, double> BaselineMttrMinutes { get; set; } = [];
}
