using System.Text.Json;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Drills;

namespace IncidentOps.Training;

/// <summary>
/// One read scenario as the diagnosis sees it: the incident its alerts open, the changes the diagnosis would look up,
/// the other services' incidents its other alerts open (read beside it, with their changes), and the answer.
/// </summary>
public sealed record TrainingScenario(string Batch, string Id, string Category, string? Remediation, Incident Incident, IReadOnlyList<ChangeEvent> Changes)
{
    public IReadOnlyList<ConcurrentIncident> Concurrent { get; init; } = [];
}

/// <summary>
/// The scenario batches the engine's authors have read (<c>tests/scenarios/batches.json</c>, <c>readByEngineAuthors</c>):
/// only those are trained on. A batch not yet read (waiting for its one held-out scoring) is never opened here.
/// </summary>
public static class ScenarioCorpus
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IReadOnlyList<string> ReadBatches(string root)
    {
        using var manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "batches.json")));
        return [.. manifest.RootElement.GetProperty("batches").EnumerateArray()
            .Where(b => b.GetProperty("readByEngineAuthors").GetBoolean())
            .Select(b => b.GetProperty("folder").GetString()!)];
    }

    public static IReadOnlyList<TrainingScenario> Load(string root) =>
        [.. ReadBatches(root).SelectMany(batch => Directory.GetFiles(Path.Combine(root, batch), "*.json").Order(StringComparer.Ordinal)
            .Select(file => Build(batch, JsonSerializer.Deserialize<DrillScenario>(File.ReadAllText(file), Json)!)))];

    /// <summary>
    /// The incident the replay would open (the same normalisers; a repeated alert counted once, as the correlator
    /// deduplicates it; only the first alert's service's alerts, as the correlator groups by service) and the changes <c>ChangeLog.BetweenAsync</c> would return to the diagnosis: the service's, from
    /// <see cref="Agents.Ai.Reasoning.CauseEvidenceReader.ChangeWindow"/> before the first alert to the last, and those of the
    /// services its alerts name (<see cref="NamedServices"/>) over the same span. The other
    /// services' alerts open one incident per service, as the correlator would; the diagnosis reads those
    /// <see cref="ConcurrentIncidents"/> chooses (at most <see cref="ConcurrentIncidents.MaxAlerts"/> alerts each) with
    /// their services' changes from the same start to their own last alert: what the worker's reader sees once the
    /// scenario's alerts are all in (the pipeline re-runs the diagnosis as each of them opens or grows).
    /// </summary>
    public static TrainingScenario Build(string batch, DrillScenario scenario)
    {
        var firstAlertAt = DateTimeOffset.UtcNow.AddSeconds(-scenario.Alerts.Max(a => a.OffsetSeconds));
        var alerts = scenario.Alerts
            .SelectMany(a => ScenarioSignals.Normalise(scenario.Id, scenario.Service, a, firstAlertAt.AddSeconds(a.OffsetSeconds), "scenarios"))
            .DistinctBy(a => (a.Source, a.Fingerprint))
            .Select(a => a.ToAlert(a.StartsAt ?? firstAlertAt, "scenario"))
            .ToList();
        // The replay's correlator groups by service: alerts of another service open their own incident, not this one.
        var first = alerts[0];
        var others = alerts.Where(a => !string.Equals(a.Service, first.Service, StringComparison.OrdinalIgnoreCase))
            .GroupBy(a => a.Service, StringComparer.OrdinalIgnoreCase)
            .Select(g => IncidentOf($"inc_{scenario.Id}_{g.Key}", [.. g]))
            .ToList();
        alerts = [.. alerts.Where(a => string.Equals(a.Service, first.Service, StringComparison.OrdinalIgnoreCase))];
        var incident = IncidentOf($"inc_{scenario.Id}", alerts);
        var window = CauseEvidenceReader.ChangeWindow;
        var all = (scenario.Changes ?? [])
            .Select((c, i) => new ChangeEvent($"chg_{i}", c.Service, c.Summary, c.Source, c.Kind, firstAlertAt.AddMinutes(-c.MinutesBeforeFirstAlert), null))
            .OrderByDescending(c => c.At)
            .ToList();
        List<ChangeEvent> ChangesOf(Incident of) =>
            [.. all.Where(c => c.Service == of.Service && c.At >= incident.OccurredAt - window && c.At <= (of.LastAlertAt ?? of.OccurredAt))];
        var concurrent = ConcurrentIncidents.Weighed([.. ConcurrentIncidents.Candidates(incident, others)
            .Select(o => o with { Alerts = [.. o.Alerts.Take(ConcurrentIncidents.MaxAlerts)] })
            .Select(o =>
            {
                var (link, why) = ConcurrentIncidents.Link(incident, o);
                return new ConcurrentIncident(o, link, why, ChangesOf(o));
            })]);
        // The services the alerts name, other than those read as concurrent incidents (their changes come with them).
        var named = NamedServices.In(incident, concurrent.Select(c => c.Incident.Service)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        List<ChangeEvent> changes = [.. ChangesOf(incident), .. all.Where(c => named.Contains(c.Service) && c.At >= incident.OccurredAt - window && c.At <= (incident.LastAlertAt ?? incident.OccurredAt))];
        return new TrainingScenario(batch, scenario.Id, scenario.Expected.Category, scenario.Expected.Remediation, incident, changes) { Concurrent = concurrent };
    }

    private static Incident IncidentOf(string id, List<Alert> alerts)
    {
        var first = alerts[0];
        return new Incident(id, first.Summary, IncidentStatus.Triggered, first.Severity, first.Service, first.DedupKey,
            first.OccurredAt, first.OccurredAt, null, null, alerts, 1) { LastAlertAt = alerts.Max(a => a.OccurredAt) };
    }

    /// <summary>
    /// Reads every scenario into evidence (the embedding runs here: ~40 ms a scenario); the evidence's embedding is also
    /// what the corpus neighbours and the confirmed-case simulation compare it by.
    /// </summary>
    public static IReadOnlyList<TrainingExample> Read(IReadOnlyList<TrainingScenario> scenarios, CauseEvidenceReader reader) =>
        [.. scenarios.Select(s =>
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var evidence = reader.Read(s.Incident, s.Changes, DateTimeOffset.UtcNow, s.Concurrent);
            var readMs = clock.Elapsed.TotalMilliseconds;
            return new TrainingExample(s, evidence) { ReadMs = readMs };
        })];
}

/// <summary>A scenario read into evidence, with its feature vectors and the index of the right candidate.</summary>
public sealed record TrainingExample(TrainingScenario Scenario, CauseEvidence Evidence)
{
    /// <summary>How long reading the incident into evidence took (rules, figures, the MiniLM embedding and case search).</summary>
    public double ReadMs { get; init; }

    /// <summary>The sentence embedding of the incident's text (the evidence reader's), as a confirmed case of it would hold.</summary>
    public float[] Embedding => Evidence.Embedding;

    public double[][] Vectors { get; } = Evidence.Vectors();

    /// <summary>This example with its evidence compared with the corpus prototypes, the neighbours' vote and the text model's given (a new example: its vectors change).</summary>
    public TrainingExample WithCorpus(IReadOnlyDictionary<string, float[]> prototypes, IReadOnlyList<double>? votes, IReadOnlyList<double>? text) =>
        new(Scenario, Evidence.WithCorpus(prototypes, votes, text)) { ReadMs = ReadMs };

    public int Label { get; } = CauseEvidence.Candidates.ToList().IndexOf(Scenario.Category) is var i and >= 0
        ? i : throw new InvalidDataException($"{Scenario.Id}: unknown category '{Scenario.Category}'");
}
