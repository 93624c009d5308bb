using System.Diagnostics.Metrics;
using System.Text.Json;
using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace IncidentOps.Metrics.Tests;

public sealed class MetricsWorkerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly RedisServer _redis = new();
    private IncidentStore _store = null!;
    private IncidentIngestor _ingestor = null!;
    private FactStore _facts = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _store = new IncidentStore(_redis.Connection);
        _ingestor = IncidentIngestor.Create(_store, TimeProvider.System);
        _facts = new FactStore(_redis.Connection, _store);
    }

    public Task DisposeAsync() => _redis.DisposeAsync();

    private WebApplicationFactory<Program> StartWorker()
    {
        var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", _redis.ConnectionString));
        _ = worker.Server;
        return worker;
    }

    [Fact]
    public async Task Resolving_an_incident_publishes_new_figures_as_an_event_and_a_snapshot()
    {
        await using var worker = StartWorker();
        await Eventually.TrueAsync(async () => await _redis.Db.KeyExistsAsync(RedisKeys.MetricsSnapshot), Patience, "the first snapshot");

        await Send("trigger", "metrics-test");
        await Send("resolve", "metrics-test");

        var log = new OpsEventLog(_redis.Connection);
        MetricsSnapshot? published = null;
        await Eventually.TrueAsync(async () =>
        {
            var updates = (await log.ReadAfterAsync(StreamId.Zero, 1000)).Where(e => e.Type == EventTypes.MetricsUpdated).ToList();
            published = updates.Select(e => e.Data.GetProperty("metrics").Deserialize<MetricsSnapshot>(OpsJson.Options)!)
                .LastOrDefault(m => m.IncidentsHandled == 1);
            return published is not null;
        }, Patience, "metrics.updated with the resolved incident");

        Assert.Equal(0, published!.IncidentsOpen);
        Assert.Equal(1, published.Mttr.SampleSize);
        Assert.Equal(1, published.Business!.IncidentsHandled.Count);
        // The event carries the survival figure's numbers but not its curve (the API serves that).
        Assert.Equal(1, published.Business.TimeToResolve.Resolved);
        Assert.Empty(published.Business.TimeToResolve.Curve);
        var stored = OpsJson.Deserialize<MetricsSnapshot>((await _redis.Db.StringGetAsync(RedisKeys.MetricsSnapshot)).ToString());
        Assert.Equal(1, stored.IncidentsHandled);

        // The OpenTelemetry gauges of this host's Meter read the same figures.
        var gauges = ReadGauges(worker.Services.GetRequiredService<IMeterFactory>());
        Assert.Equal(0, gauges[IncidentOpsTelemetry.OpenIncidentsGauge]);
        Assert.Equal(stored.Business!.Mttr.MeanMinutes, gauges[IncidentOpsTelemetry.MttrGauge]);
    }

    private static Dictionary<string, double> ReadGauges(IMeterFactory scope)
    {
        var values = new Dictionary<string, double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == scope && instrument.Meter.Name == IncidentOpsTelemetry.Metrics)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => values[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return values;
    }

    [Fact]
    public async Task Incremental_facts_and_a_full_recompute_from_the_stored_incidents_give_the_same_figures()
    {
        await using var worker = StartWorker();
        await Eventually.TrueAsync(async () => await _redis.Db.KeyExistsAsync(RedisKeys.MetricsFactsReady), Patience, "the worker to start");

        var ids = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            ids.Add((await Send("trigger", $"agree-{i}", i % 2 == 0 ? "warning" : "error")).IncidentId!);
        }

        await Send("acknowledge", "agree-0");
        await Send("acknowledge", "agree-1");
        await Send("resolve", "agree-0");
        await Send("resolve", "agree-2");
        await Send("resolve", "agree-3");
        await PredictAsync(ids[0], preventionCandidate: true);
        await PredictAsync(ids[4], preventionCandidate: true);

        // The same clock for both paths: the figures must then be identical, to the last digit.
        var calculator = new BusinessCalculator(new Facts.FixedTime(DateTimeOffset.UtcNow.AddMinutes(5)), Options.Create(new CostOptions()));
        var recomputed = await RecomputeAsync(calculator);
        await Eventually.TrueAsync(async () => OpsJson.Serialize(calculator.Compute(await _facts.LoadAsync(), MetricsQuery.Week)) == OpsJson.Serialize(recomputed),
            Patience, "the incremental facts to agree with the recompute");

        var figures = calculator.Compute(await _facts.LoadAsync(), MetricsQuery.Week);
        Assert.Equal(3, figures.IncidentsHandled.Count);
        Assert.Equal(1, figures.IncidentsPrevented.Count);
        Assert.Equal((6, 3, 3), (figures.TimeToResolve.SampleSize, figures.TimeToResolve.Resolved, figures.TimeToResolve.Censored));
        Assert.Equal(2, figures.Mtta.SampleSize);
    }

    [Fact]
    public async Task A_restarted_worker_resumes_from_its_consumer_group_and_the_first_start_rebuilds_from_the_incidents()
    {
        var before = (await Send("trigger", "before-any-worker")).IncidentId!;
        var worker = StartWorker();
        // The rebuild writes the facts, then marks them ready: wait for both.
        await Eventually.TrueAsync(async () => (await _facts.GetAsync([before])).ContainsKey(before) && await _redis.Db.KeyExistsAsync(RedisKeys.MetricsFactsReady),
            Patience, "the rebuild to include the earlier incident and be marked ready");
        var ready = (await _redis.Db.StringGetAsync(RedisKeys.MetricsFactsReady)).ToString();
        await worker.DisposeAsync();

        // While no worker runs: a new incident, and the first one resolved.
        var during = (await Send("trigger", "while-down")).IncidentId!;
        await Send("resolve", "before-any-worker");

        await using var restarted = StartWorker();
        await Eventually.TrueAsync(async () =>
        {
            var facts = await _facts.GetAsync([before, during]);
            return facts.Count == 2 && facts[before].IsResolved;
        }, Patience, "the restarted worker to catch up");

        Assert.Equal(ready, (await _redis.Db.StringGetAsync(RedisKeys.MetricsFactsReady)).ToString());
    }

    [Fact]
    public async Task A_burst_of_changes_is_coalesced_into_few_updates()
    {
        await using var worker = StartWorker();
        await Eventually.TrueAsync(async () => await _redis.Db.KeyExistsAsync(RedisKeys.MetricsFactsReady), Patience, "the worker to start");
        var log = new OpsEventLog(_redis.Connection);
        var start = await log.LastIdAsync();

        var started = DateTimeOffset.UtcNow;
        for (var i = 0; i < 40; i++)
        {
            await Send("trigger", $"burst-{i}");
        }

        await Eventually.TrueAsync(async () => (await _facts.LoadAsync()).Rows.Count == 40, Patience, "all 40 incidents in the facts");
        await Eventually.TrueAsync(async () => OpsJson.Deserialize<MetricsSnapshot>((await _redis.Db.StringGetAsync(RedisKeys.MetricsSnapshot)).ToString()).IncidentsOpen == 40,
            Patience, "a snapshot with all 40 open");
        var elapsed = DateTimeOffset.UtcNow - started;

        var updates = (await log.ReadAfterAsync(StreamId.Parse(start), 10_000)).Count(e => e.Type == EventTypes.MetricsUpdated);
        // At most one per 250 ms interval (plus the one in flight when the burst began).
        Assert.InRange(updates, 1, (int)(elapsed.TotalMilliseconds / 250) + 2);
        Assert.True(updates < 40, $"{updates} updates for 40 changes");
    }

    private async Task<BusinessMetrics> RecomputeAsync(BusinessCalculator calculator)
    {
        const string key = "test:facts:recomputed";
        await _redis.Db.KeyDeleteAsync(key);
        await _facts.RebuildAsync(key);
        return calculator.Compute(await _facts.LoadAsync(key), MetricsQuery.Week);
    }

    [Fact]
    public async Task An_approved_remediation_that_succeeded_counts_in_the_success_rate()
    {
        await using var worker = StartWorker();
        var id = (await Send("trigger", "fix-worked")).IncidentId!;
        var actions = new ActionStore(_redis.Connection, TimeProvider.System);
        var restart = new ProposedAction("act_restart", id, 1, "Restart the pods", StepKind.ApprovalRequired, "restart", null, "test", "manual", ActionState.AwaitingApproval, DateTimeOffset.UtcNow);
        await actions.ProposeAsync(id, [restart], _ => false, null);
        await actions.DecideAsync(id, restart.Id, approve: true, "maria", null, null);
        await actions.StartAsync(id, restart.Id, null);
        await actions.FinishAsync(id, restart.Id, succeeded: true, "done", null);
        await Send("resolve", "fix-worked");

        var log = new OpsEventLog(_redis.Connection);
        await Eventually.TrueAsync(async () => (await log.ReadAfterAsync(StreamId.Zero, 1000))
            .Where(e => e.Type == EventTypes.MetricsUpdated)
            .Select(e => e.Data.GetProperty("metrics").Deserialize<MetricsSnapshot>(OpsJson.Options)!.Business?.SuccessRate)
            .Any(rate => rate is { Numerator: 1, Denominator: 1 }), Patience, "the success rate to count the approved, successful restart");
        var fact = Assert.Single(await new FactStore(_redis.Connection, _store, actions).ReadFromIncidentsAsync([id]));
        Assert.True(fact.RemediationApproved && fact.RemediationSucceeded);
    }

    private async Task<IngestOutcome> Send(string action, string dedupKey, string severity = "error") =>
        await _ingestor.IngestAsync(EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team",
            EventAction = action,
            DedupKey = dedupKey,
            Payload = action == "trigger" ? new PagerDutyPayload { Summary = $"Queue depth high {dedupKey}", Source = $"svc-{dedupKey}", Severity = severity } : null,
        }).Event!, null);

    /// <summary>What the prediction agent stores when it finishes: a completed run with its result, and the event.</summary>
    private async Task PredictAsync(string incidentId, bool preventionCandidate)
    {
        var now = DateTimeOffset.UtcNow;
        var run = new AgentRun(AgentPhase.Prediction, AgentState.Completed, 100, "Done", now, now, 1,
            OpsJson.ToElement(new { expectedMinutesToResolve = 90, escalationProbability = 0.6, preventionCandidate }), null);
        await new OpsEventLog(_redis.Connection).AppendAsync(
            new PendingEvent(EventTypes.AgentStateChanged, incidentId, now, new { phase = "prediction", state = "completed" }), null, run);
    }
}
