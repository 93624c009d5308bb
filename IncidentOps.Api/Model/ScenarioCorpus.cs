using System.Text.Json;
using IncidentOps.Core.Drills;

namespace IncidentOps.Api.Model;

/// <summary>
/// The scenario corpus the drills replay, shipped with the API as content (<c>scenarios/</c> beside the binary, every
/// <c>*.json</c> under it but the batch manifest, in any subfolder), read once. <c>Drills:ScenarioFolder</c> points elsewhere.
/// </summary>
public sealed class ScenarioCorpus(IConfiguration configuration)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly Lazy<IReadOnlyList<DrillScenario>> _all = new(() => Load(Folder(configuration)));

    public IReadOnlyList<DrillScenario> All => _all.Value;

    public DrillScenario? Find(string id) => All.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.Ordinal));

    private static string Folder(IConfiguration configuration) =>
        Path.GetFullPath(configuration["Drills:ScenarioFolder"] is { Length: > 0 } folder ? folder : "scenarios", AppContext.BaseDirectory);

    private static IReadOnlyList<DrillScenario> Load(string folder) =>
        !Directory.Exists(folder) ? [] :
        [.. Directory.GetFiles(folder, "*.json", SearchOption.AllDirectories)
            .Where(file => !string.Equals(Path.GetFileName(file), "batches.json", StringComparison.OrdinalIgnoreCase))
            .Select(file => JsonSerializer.Deserialize<DrillScenario>(File.ReadAllText(file), Json) ?? throw new InvalidDataException($"{file} is empty."))
            .OrderBy(s => s.Id, StringComparer.Ordinal)];
}
