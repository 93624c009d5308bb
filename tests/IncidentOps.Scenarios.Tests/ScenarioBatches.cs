using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentOps.Scenarios.Tests;

/// <summary>
/// One batch of the corpus (tests/scenarios/batches.json): its folder, who wrote it, whether the engine's authors have
/// read it, and its held-out figure: the one scoring it had before anyone who changes the engine read it (null for a
/// batch that never had one, such as batch-01, which the engine was developed on).
/// </summary>
public sealed record ScenarioBatch(string Folder, string Author, bool ReadByEngineAuthors, HeldOutScore? HeldOut);

/// <summary>The figures of a batch's one scoring before it was read, with when and on which engine commit.</summary>
public sealed record HeldOutScore(DateTimeOffset ScoredAt, string EngineCommit, double Top1, double Top3, double Remediation, double UnknownRate, int N);

/// <summary>The manifest and the corpus on disk, read from (and, for a held-out score, written to) the source tree.</summary>
public static class ScenarioBatches
{
    /// <summary>tests/scenarios in the source tree: the manifest is written back there, so the score is committed with the code.</summary>
    public static string Root { get; } = FindRoot();

    public static string ManifestPath => Path.Combine(Root, "batches.json");

    public static IReadOnlyList<ScenarioBatch> Load() =>
        JsonSerializer.Deserialize<ManifestFile>(File.ReadAllText(ManifestPath), ScenarioJson.Options)!.Batches;

    public static IReadOnlyList<Scenario> Scenarios(ScenarioBatch batch) => Scenario.LoadBatch(Path.Combine(Root, batch.Folder));

    public static IReadOnlyList<Scenario> All() => [.. Load().SelectMany(Scenarios)];

    /// <summary>Batch folders on disk (tests/scenarios/batch-*), listed in the manifest or not.</summary>
    public static IReadOnlyList<string> FoldersOnDisk() =>
        [.. Directory.GetDirectories(Root, "batch-*").Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    /// <summary>Writes the batch's held-out figure into the manifest (adding the batch when it is not listed yet); refuses a second one.</summary>
    public static void RecordHeldOut(string folder, HeldOutScore score, string author)
    {
        var root = JsonNode.Parse(File.ReadAllText(ManifestPath))!.AsObject();
        var batches = root["batches"]!.AsArray();
        var entry = batches.OfType<JsonObject>().FirstOrDefault(b => (string?)b["folder"] == folder);
        if (entry is null)
        {
            entry = new JsonObject { ["folder"] = folder, ["author"] = author, ["readByEngineAuthors"] = false, ["heldOut"] = null };
            batches.Add(entry);
        }

        if (entry["heldOut"] is not null)
        {
            throw new InvalidOperationException($"{folder} already has its held-out score ({entry["heldOut"]!.ToJsonString()}): a batch is scored held-out once.");
        }

        if ((bool?)entry["readByEngineAuthors"] == true)
        {
            throw new InvalidOperationException($"{folder} has been read by the engine's authors: its score would not be a held-out figure.");
        }

        entry["heldOut"] = JsonSerializer.SerializeToNode(score, ScenarioJson.Options);
        File.WriteAllText(ManifestPath, root.ToJsonString(ScenarioJson.Options) + "\n");
    }

    /// <summary>The commit the engine was built from (the working tree's HEAD; "+dirty" when it has uncommitted changes).</summary>
    public static string EngineCommit()
    {
        static string Git(string arguments)
        {
            using var git = Process.Start(new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, WorkingDirectory = Root, UseShellExecute = false })!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output;
        }

        var head = Git("rev-parse --short=12 HEAD");
        var dirty = Git("status --porcelain --untracked-files=no -- ../../IncidentOps.Agents").Length > 0;
        return dirty ? $"{head}+dirty" : head;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "scenarios");
            if (File.Exists(Path.Combine(candidate, "batches.json")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException($"No tests/scenarios/batches.json above {AppContext.BaseDirectory}.");
    }

    private sealed record ManifestFile(IReadOnlyList<ScenarioBatch> Batches);
}
