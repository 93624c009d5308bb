using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Drills;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Ingest.Sources;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Scenarios.Tests;

/// <summary>What the pipeline concluded for one scenario, how sure it said it was, and how long it took.</summary>
public sealed record ScenarioOutcome(
    Scenario Scenario,
    IReadOnlyList<string> Categories,
    bool Unknown,
    string? FirstRemediation,
    TimeSpan Took,
    string TopEvidence,
    double? Confidence)
{
    /// <summary>The incident the scenario opened (its AI calls are recorded under it).</summary>
    public string IncidentId { get; init; } = string.Empty;

    /// <summary>Right first: the expected cause ranked first, or "unknown" said where the answer is unknown.</summary>
    public bool Top1 => Scenario.ExpectsUnknown ? Unknown : !Unknown && Categories.Count > 0 && Categories[0] == Scenario.Category;

    public bool Top3 => Scenario.ExpectsUnknown ? Unknown : !Unknown && Categories.Take(3).Contains(Scenario.Category);

    /// <summary>The first approval-required remediation is the expected one (none at all where the answer is unknown).</summary>
    public bool RemediationMatches => FirstRemediation == Scenario.Expected.Remediation;
}

/// <summary>
/// Replays a scenario the way it would arrive: its changes through the change log, its alerts through the
/// real normalisers and correlator (grouped by service), then waits for the agents worker to finish the incident.
/// </summary>
public sealed class ScenarioReplay(IConnectionMultiplexer redis, TimeSpan deadline)
{
    private readonly IncidentStore _store = new(redis);
    private readonly AlertCorrelator _correlator = new(new IncidentStore(redis), TimeProvider.System, Options.Create(new CorrelationOptions { GroupBy = GroupingMode.Service }));
    private readonly ChangeLog _changes = new(redis, TimeProvider.System);
    private readonly ActionStore _actions = new(redis, TimeProvider.System);

    public async Task<ScenarioOutcome> RunAsync(Scenario scenario)
    {
        var lastOffset = scenario.Alerts.Max(a => a.OffsetSeconds);
        var firstAlertAt = DateTimeOffset.UtcNow.AddSeconds(-lastOffset);
        foreach (var change in scenario.Changes ?? [])
        {
            await _changes.RecordAsync(
                new ChangeEvent($"chg_{Guid.NewGuid():N}", change.Service, change.Summary, change.Source, change.Kind, firstAlertAt.AddMinutes(-change.MinutesBeforeFirstAlert), null), null);
        }

        var clock = Stopwatch.StartNew();
        string? incidentId = null;
        foreach (var alert in scenario.Alerts)
        {
            foreach (var incoming in ScenarioSignals.Normalise(scenario.Id, scenario.Service, alert, firstAlertAt.AddSeconds(alert.OffsetSeconds), "scenarios"))
            {
                var outcome = await _correlator.IngestAsync(incoming, null);
                incidentId ??= outcome.IncidentId;
            }
        }

        var analysed = await WaitForAnalysisAsync(incidentId!);
        var took = clock.Elapsed;
        var diagnosis = analysed[AgentPhase.Diagnosis].Result!.Value;
        var categories = diagnosis.GetProperty("hypotheses").EnumerateArray().Select(h => h.GetProperty("category").GetString()!).ToList();
        var remediation = (await _actions.ListAsync(incidentId!))
            .Where(a => a.State != ActionState.Superseded && a.Kind == StepKind.ApprovalRequired && a.Remediation is not null)
            .OrderBy(a => a.Order).Select(a => a.Remediation).FirstOrDefault();
        var first = diagnosis.GetProperty("hypotheses").EnumerateArray().Select(h => (JsonElement?)h).FirstOrDefault();
        var evidence = first is { } top ? string.Join("; ", top.GetProperty("evidence").EnumerateArray().Select(e => e.GetString())) : string.Empty;
        return new ScenarioOutcome(scenario, categories, diagnosis.GetProperty("unknown").GetBoolean(), remediation, took, evidence,
            first is { } lead ? lead.GetProperty("confidence").GetDouble() : null) { IncidentId = incidentId! };
    }

    /// <summary>Done when no work is queued or in flight and every phase has completed on the incident as it now stands.</summary>
    private async Task<IReadOnlyDictionary<AgentPhase, AgentRun>> WaitForAnalysisAsync(string incidentId)
    {
        var db = redis.GetDatabase();
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // After the flush between scenarios a queue exists only once something was put on it (new incidents go to the urgent one).
            var groups = (await GroupsAsync(db, RedisKeys.AgentsWork)).Concat(await GroupsAsync(db, RedisKeys.AgentsUrgent));
            var idle = groups.All(g => g.PendingMessageCount == 0 && g.Lag == 0);
            var runs = await _store.GetRunsAsync(incidentId);
            if (idle && runs.Count == 4 && runs.Values.All(r => r.State is AgentState.Completed or AgentState.Failed))
            {
                return runs;
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"Incident {incidentId} was not analysed within {deadline.TotalSeconds} s.");
            }

            await Task.Delay(10);
        }
    }

    private static async Task<StreamGroupInfo[]> GroupsAsync(IDatabase db, RedisKey queue) =>
        await db.KeyExistsAsync(queue) ? await db.StreamGroupInfoAsync(queue) : [];
}
