using System.Text.Json;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Ai.Retrieval;

namespace IncidentOps.Training;

/// <summary>
/// Trains the local engine's cause model and first-fix model on the scenario batches its authors have read and writes the
/// weights the agents worker loads (IncidentOps.Agents/CaseBase/cause-model.json, and remediation-model.json beside the
/// output), with each batch's cross-validated figure:
/// <c>dotnet run --project tools/IncidentOps.Training [-- [remediations] &lt;tests/scenarios&gt; &lt;output.json&gt; [&lt;predictions.tsv&gt;]]</c>; the third
/// argument writes every cross-validated prediction with each candidate's probability, to study the misses (where the
/// right cause ranked, and at what probability) without another training run.
/// (A named class, not top-level statements: the Scenarios tests reference this project beside the agents worker's Program.)
/// </summary>
public static class TrainingCommand
{
    public static void Main(string[] args)
    {
        var repo = FindRepo();
        // "remediations" first: refit the first-fix model alone (~5 minutes here), the cause model as it is.
        var fixesOnly = args is ["remediations", ..];
        args = fixesOnly ? args[1..] : args;
        var scenarios = args.Length > 0 ? args[0] : Path.Combine(repo, "tests", "scenarios");
        var output = args.Length > 1 ? args[1] : Path.Combine(repo, "IncidentOps.Agents", "CaseBase", "cause-model.json");
        var fixesOutput = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, "remediation-model.json");

        using var embedder = new SentenceEmbedder();
        var reader = new CauseEvidenceReader(new CaseBase(embedder));
        var corpus = ScenarioCorpus.Load(scenarios);
        Console.WriteLine($"read batches: {string.Join(", ", ScenarioCorpus.ReadBatches(scenarios))}; {corpus.Count} scenarios");
        Console.WriteLine($"scenarios with other services' incidents read beside the first: {corpus.Count(s => s.Concurrent.Count > 0)} ({corpus.Count(s => s.Concurrent.Any(c => c.Link >= 1))} linked)");
        var examples = ScenarioCorpus.Read(corpus, reader);
        var fixes = RemediationModelFit.Train(examples);
        File.WriteAllText(fixesOutput, JsonSerializer.Serialize(fixes.Model, RemediationModelWeights.Json) + "\n");
        Console.WriteLine(TrainingReport.Remediations(fixes.Model));
        Console.WriteLine($"wrote {fixesOutput}");
        if (fixesOnly)
        {
            return;
        }

        var result = CauseModelTraining.Train(examples, fixes);
        File.WriteAllText(output, JsonSerializer.Serialize(result.Model, CauseModelWeights.Json) + "\n");
        Console.WriteLine(TrainingReport.Text(result));
        if (args.Length > 2)
        {
            File.WriteAllLines(args[2], TrainingReport.Predictions(result.CrossValidated));
            Console.WriteLine($"wrote {args[2]}");
        }
        Console.WriteLine($"wrote {output}");
    }

    private static string FindRepo()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentOps.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("Run from inside the repository, or pass the scenarios folder and the output path.");
    }
}
