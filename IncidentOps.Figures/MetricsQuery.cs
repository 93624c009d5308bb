using IncidentOps.Core.Domain;

namespace IncidentOps.Figures;

/// <summary>Which incidents the figures cover: those detected in the last <see cref="Window"/>, optionally one service and severity.</summary>
public sealed record MetricsQuery(string Window, string? Service = null, Severity? Severity = null)
{
    public static readonly IReadOnlyDictionary<string, TimeSpan> Windows = new Dictionary<string, TimeSpan>(StringComparer.Ordinal)
    {
        ["7d"] = TimeSpan.FromDays(7),
        ["30d"] = TimeSpan.FromDays(30),
    };

    public static MetricsQuery Week { get; } = new("7d");

    public TimeSpan Length => Windows[Window];

    /// <param name="services">The table's <see cref="FactTable.ServiceFilter"/> for <see cref="Service"/>.</param>
    public bool Matches(in FactRow fact, bool[]? services) =>
        (services is null || services[fact.ServiceIndex])
        && (Severity is null || fact.Severity == Severity);

    /// <summary>"this week" / "in the last 30 days", for sentences.</summary>
    public string InWords => Window == "7d" ? "this week" : $"in the last {Length.TotalDays:0} days";
}
