using System.Text.Json;
using System.Text.Json.Serialization;
using IncidentOps.Core.Drills;

namespace IncidentOps.Scenarios.Tests;

/// <summary>One incident as data (tests/scenarios/batch-*/*.json): the alerts as they arrive, recent changes, and the known answer.</summary>
public sealed record Scenario(
    string Id,
    string Description,
    string Service,
    DrillExpectation Expected,
    IReadOnlyList<DrillChange>? Changes,
    IReadOnlyList<DrillAlert> Alerts)
{
    public const string UnknownCategory = "unknown";

    /// <summary>The batch it was written in (the folder name); the file may say it too.</summary>
    public string Batch { get; init; } = string.Empty;

    /// <summary>The author's rating (e.g. standard, hard); free text, reported as written.</summary>
    public string? Difficulty { get; init; }

    public string Category => Expected.Category;

    /// <summary>The right answer is "unknown": the evidence is too thin to name a cause.</summary>
    public bool ExpectsUnknown => Category == UnknownCategory;

    /// <summary>Every scenario of the batch folder, in file order, each stamped with its batch.</summary>
    public static IReadOnlyList<Scenario> LoadBatch(string folder)
    {
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar));
        return [.. Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal)
            .Select(file => (JsonSerializer.Deserialize<Scenario>(File.ReadAllText(file), ScenarioJson.Options)
                ?? throw new InvalidDataException($"{file} is empty.")) with { Batch = name })];
    }
}

public static class ScenarioJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // The manifest is read by people: "+00:00", not "\u002B00:00".
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
