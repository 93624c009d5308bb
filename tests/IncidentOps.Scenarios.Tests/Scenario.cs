using System.Text.Json;
using System.Text.Json.Serialization;

namespace IncidentOps.Scenarios.Tests;

/// <summary>One incident as data (tests/scenarios/*.json): the alerts as they arrive, recent changes, and the known answer.</summary>
public sealed record Scenario(
    string Id,
    string Description,
    string Service,
    ScenarioExpectation Expected,
    IReadOnlyList<ScenarioChange>? Changes,
    IReadOnlyList<ScenarioAlert> Alerts)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Category => Expected.Category;

    public static IReadOnlyList<Scenario> LoadAll()
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "scenarios");
        return [.. Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(file => JsonSerializer.Deserialize<Scenario>(File.ReadAllText(file), Json)
                ?? throw new InvalidDataException($"{file} is empty."))];
    }
}

public sealed record ScenarioExpectation(string Category, string Remediation);

public sealed record ScenarioChange(int MinutesBeforeFirstAlert, string Service, string Source, string Summary, string Kind);

public sealed record ScenarioAlert(
    string Source,
    int OffsetSeconds,
    Dictionary<string, string>? Labels,
    Dictionary<string, string>? Annotations,
    string? Summary,
    string? Severity,
    string? Component,
    string? Group,
    string? Class,
    JsonElement? CustomDetails)
{
    [JsonIgnore]
    public bool IsAlertmanager => Source == "alertmanager";
}
