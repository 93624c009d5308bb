using IncidentOps.Core;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Xunit.Abstractions;

namespace IncidentOps.Scenarios.Tests;

/// <summary>
/// Replays the scenario batches listed in tests/scenarios/batches.json through the real agents worker on the local
/// engine and measures how often the diagnosis is right and how well its confidence is calibrated. The floors are the
/// figures measured when they were set, rounded down: a change that makes the engine worse fails here. A new batch is
/// scored once, before anyone who changes the engine reads it (scripts/score-heldout.sh), and that figure is kept.
/// </summary>
public sealed class DiagnosisAccuracyTests(ITestOutputHelper output) : IAsyncLifetime
{
    /// <summary>Names the batch folder to score as held out (scripts/score-heldout.sh sets it).</summary>
    public const string ScoreHeldOutVariable = "INCIDENTOPS_SCORE_HELDOUT";

    // Measured 2026-12-01 on all four batches (172 scenarios, engine 05b286026d41): top-1 76%, top-3 85%, remediation 74%,
    // unknown 1%. Held out (scored once before anyone read them): batch-02 68/82/59 (on the engine before this issue),
    // batch-03 61/73/61, batch-04 68/82/68; batch-03 + batch-04 together 65/77/65. Floors two to three points under
    // (one scenario of 172 is 0.6 points; one of the 88 held-out ones 1.1): a change that makes the engine worse fails here.
    private const double Top1Floor = 0.74;
    private const double Top3Floor = 0.83;
    private const double RemediationFloor = 0.72;
    private const double HeldOutTop1Floor = 0.62;
    private const double HeldOutTop3Floor = 0.75;
    private const double HeldOutRemediationFloor = 0.61;
    private const double UnknownCeiling = 0.05;

    private readonly RedisServer _redis = new();

    public Task InitializeAsync() => _redis.InitializeAsync();

    public Task DisposeAsync() => _redis.DisposeAsync();

    [Fact]
    public void The_corpus_is_large_and_varied_enough_to_measure_anything()
    {
        var scenarios = ScenarioBatches.All();
        var causes = scenarios.Where(s => !s.ExpectsUnknown).ToList();

        Assert.True(scenarios.Count >= 30, $"{scenarios.Count} scenarios");
        Assert.True(causes.Select(s => s.Category).Distinct().Count() >= 8, "at least 8 categories");
        Assert.All(causes.GroupBy(s => s.Category), g => Assert.True(g.Count() >= 3, $"{g.Key} has {g.Count()} scenarios"));
        Assert.All(scenarios, s => Assert.True(s.ExpectsUnknown == (s.Expected.Remediation is null), $"{s.Id}: an unknown answer has no remediation, a known cause has one"));
        // Varied wording within a batch: no alert text is reused by another scenario (one scenario may repeat its own, as a
        // flapping alert does), and within a category no alert name is either (a shared symptom such as KubePodCrashLooping
        // may appear under different causes; authors of different batches may coincide).
        Assert.All(scenarios.GroupBy(s => s.Batch), batch =>
        {
            var texts = batch.SelectMany(s => s.Alerts.Select(a => a.Annotations?.GetValueOrDefault("summary") ?? a.Summary)
                .Distinct(StringComparer.OrdinalIgnoreCase)).ToList();
            Assert.Equal(texts.Count, texts.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            Assert.All(batch.GroupBy(s => s.Category), g =>
            {
                var names = g.SelectMany(s => s.Alerts.Select(a => a.Labels?.GetValueOrDefault("alertname")).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase)).ToList();
                Assert.Equal(names.Count, names.Distinct(StringComparer.OrdinalIgnoreCase).Count());
            });
        });
    }

    /// <summary>
    /// Every batch folder is in the manifest, and every batch but the ones the engine was developed on carries its
    /// held-out score. With <c>INCIDENTOPS_SCORE_HELDOUT=batch-NN</c> (scripts/score-heldout.sh) it first scores that
    /// batch, once, and writes the figure to the manifest; only the figures are printed, so scoring does not read it.
    /// </summary>
    [Fact]
    public async Task Each_new_batch_is_scored_once_as_its_held_out_figure_before_it_is_read()
    {
        if (Environment.GetEnvironmentVariable(ScoreHeldOutVariable) is { Length: > 0 } folder)
        {
            var scenarios = Scenario.LoadBatch(Path.Combine(ScenarioBatches.Root, folder));
            Assert.NotEmpty(scenarios);
            var commit = ScenarioBatches.EngineCommit();
            var outcomes = await ReplayAsync(scenarios);
            var figures = Figures.Of(outcomes);
            var score = new HeldOutScore(DateTimeOffset.UtcNow, commit, Math.Round(figures.Top1, 4), Math.Round(figures.Top3, 4),
                Math.Round(figures.Remediation, 4), Math.Round(figures.UnknownRate, 4), figures.N);
            ScenarioBatches.RecordHeldOut(folder, score, "(author: fill in)");
            var calibration = Calibration.Of(outcomes);
            output.WriteLine($"held-out score of {folder} on {commit}: {figures}; Brier {calibration.Brier:0.000} over {calibration.N} named causes; recorded in {ScenarioBatches.ManifestPath}");
        }

        var batches = ScenarioBatches.Load();
        Assert.Equal(ScenarioBatches.FoldersOnDisk(), batches.Select(b => b.Folder).Order(StringComparer.Ordinal));
        Assert.All(batches.Where(b => b.Folder != "batch-01"), b =>
            Assert.True(b.HeldOut is not null, $"{b.Folder} has no held-out score: run scripts/score-heldout.sh {b.Folder} before anyone reads it"));
        Assert.All(batches.Where(b => b.HeldOut is not null), b => Assert.Equal(ScenarioBatches.Scenarios(b).Count, b.HeldOut!.N));
    }

    [Fact]
    public async Task Diagnosis_accuracy_on_the_scenarios_stays_above_its_measured_floors()
    {
        // A batch with neither a held-out score nor the engine's authors' reading is not replayed here: its misses would be read.
        var batches = ScenarioBatches.Load().Where(b => b.HeldOut is not null || b.ReadByEngineAuthors).ToList();
        var outcomes = await ReplayAsync([.. batches.SelectMany(ScenarioBatches.Scenarios)]);

        var report = ScenarioReport.Text(batches, outcomes);
        output.WriteLine(report);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "incidentops-scenarios.txt"), report);

        var figures = Figures.Of(outcomes);
        Assert.True(figures.Top1 >= Top1Floor, $"top-1 {figures.Top1:P0} below {Top1Floor:P0}");
        Assert.True(figures.Top3 >= Top3Floor, $"top-3 {figures.Top3:P0} below {Top3Floor:P0}");
        Assert.True(figures.Remediation >= RemediationFloor, $"remediation {figures.Remediation:P0} below {RemediationFloor:P0}");
        Assert.True(figures.UnknownRate <= UnknownCeiling, $"unknown {figures.UnknownRate:P0} above {UnknownCeiling:P0}");

        // The batches nobody who changes the engine has read: the figure that says how it does on incidents it was not tuned on.
        var unread = batches.Where(b => !b.ReadByEngineAuthors).Select(b => b.Folder).ToHashSet();
        var heldOut = Figures.Of([.. outcomes.Where(o => unread.Contains(o.Scenario.Batch))]);
        Assert.True(heldOut.Top1 >= HeldOutTop1Floor, $"held-out top-1 {heldOut.Top1:P0} below {HeldOutTop1Floor:P0}");
        Assert.True(heldOut.Top3 >= HeldOutTop3Floor, $"held-out top-3 {heldOut.Top3:P0} below {HeldOutTop3Floor:P0}");
        Assert.True(heldOut.Remediation >= HeldOutRemediationFloor, $"held-out remediation {heldOut.Remediation:P0} below {HeldOutRemediationFloor:P0}");
    }

    private async Task<List<ScenarioOutcome>> ReplayAsync(IReadOnlyList<Scenario> scenarios)
    {
        await using var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", _redis.ConnectionString));
        _ = worker.Server;

        var replay = new ScenarioReplay(_redis.Connection, TimeSpan.FromSeconds(30));
        await using var admin = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync($"{_redis.ConnectionString},allowAdmin=true");
        var outcomes = new List<ScenarioOutcome>();
        foreach (var scenario in scenarios)
        {
            outcomes.Add(await replay.RunAsync(scenario));
            // Each scenario on an empty store: no open incident to join, no service memory or changes from another scenario.
            await admin.GetServer(admin.GetEndPoints()[0]).FlushDatabaseAsync();
        }

        return outcomes;
    }
}
