using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Figures;
using IncidentOps.Metrics.Figures;
using IncidentOps.Metrics.Retention;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IncidentOps.Metrics.Tests;

/// <summary>
/// Retention with a moved clock: the metrics worker runs with a <see cref="FakeTimeProvider"/> registered as its
/// <c>TimeProvider</c> (the real DI registration otherwise), the test moves it and runs the trimmer's pass at that time.
/// Stream entry ids are Redis's own clock, so the fake clock starts at the real now.
/// </summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly RedisServer _redis = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private IncidentStore _store = null!;
    private IncidentIngestor _ingestor = null!;

    public async Task InitializeAsync()
    {
        await _redis.InitializeAsync();
        _store = new IncidentStore(_redis.Connection);
        _ingestor = IncidentIngestor.Create(_store, _clock);
    }

    public Task DisposeAsync() => _redis.DisposeAsync();

    private WebApplicationFactory<Program> StartWorker(int timelineMaxEntries = 5_000)
    {
        var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", _redis.ConnectionString)
            // The worker's own trimmer runs on the fake clock too (each move of it past an hour is a pass); the test also
            // runs passes itself at the moved time, so each assertion is about the state, whichever pass did the work.
            .UseSetting("Retention:IntervalSeconds", "3600")
            .UseSetting("Retention:TimelineMaxEntries", timelineMaxEntries.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .ConfigureServices(services => services.AddSingleton<TimeProvider>(_clock)));
        _ = worker.Server;
        return worker;
    }

    [Fact]
    public async Task A_resolved_incident_releases_its_dedup_key_after_the_grace_and_is_archived_after_retention_without_changing_the_figures()
    {
        await using var worker = StartWorker();
        var pass = worker.Services.GetRequiredService<RetentionPass>();
        var opened = await Send("trigger", "retention-a");
        await Send("resolve", "retention-a");
        var id = opened.IncidentId!;
        var dedupKey = RedisKeys.Dedup(AlertNormaliser.GenericSource, "retention-a");
        var facts = worker.Services.GetRequiredService<FactStore>();
        await Eventually.TrueAsync(async () => (await facts.GetAsync([id])).ContainsKey(id)
            && await _redis.Db.SortedSetScoreAsync(RedisKeys.RetentionArchiveDue, id) is not null, Patience, "the resolved incident's fact and schedule");
        using var trimmed = new MetricCollector<long>(worker.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), RetentionTelemetry.MeterName, "incidentops.retention.trimmed");

        _clock.Advance(TimeSpan.FromHours(23));
        await pass.RunAsync(_clock.GetUtcNow());
        Assert.True(await _redis.Db.KeyExistsAsync(dedupKey), "within the grace the dedup key stays");

        _clock.Advance(TimeSpan.FromHours(2));
        await pass.RunAsync(_clock.GetUtcNow());
        Assert.False(await _redis.Db.KeyExistsAsync(dedupKey), "after the grace the dedup key is released");
        Assert.False(await _redis.Db.KeyExistsAsync(RedisKeys.Group((await _store.GetAsync(id))!.GroupKey!)), "and its grouping key");
        Assert.True(await _redis.Db.KeyExistsAsync(RedisKeys.Incident(id)), "the incident itself is kept until its retention ends");
        await Eventually.TrueAsync(() => Task.FromResult(Trimmed(trimmed, "dedup_keys") == 2), Patience, "the trimmer's meter counts the two keys");

        var calculator = worker.Services.GetRequiredService<MetricsCalculator>();
        var before = await facts.LoadAsync();
        _clock.Advance(TimeSpan.FromDays(90));
        var beforeFigures = OpsJson.Serialize(calculator.Compute(before));
        await pass.RunAsync(_clock.GetUtcNow());

        foreach (var key in new[] { RedisKeys.Incident(id), RedisKeys.Timeline(id), RedisKeys.AgentRuns(id) })
        {
            Assert.False(await _redis.Db.KeyExistsAsync(key), $"{key} deleted with the incident");
        }

        Assert.Null(await _redis.Db.SortedSetScoreAsync(RedisKeys.Incidents, id));
        Assert.Null(await _redis.Db.SortedSetScoreAsync(RedisKeys.RetentionArchiveDue, id));
        // The business figures come from the facts, which still hold the incident: computed at the same moment, unchanged.
        Assert.Equal(beforeFigures, OpsJson.Serialize(calculator.Compute(await facts.LoadAsync())));
        await Eventually.TrueAsync(() => Task.FromResult(Trimmed(trimmed, "incidents") == 1), Patience, "the trimmer's meter counts the archived incident");
    }

    [Fact]
    public async Task A_dedup_key_taken_over_by_a_newer_incident_is_not_released_with_the_old_one()
    {
        await using var worker = StartWorker();
        var pass = worker.Services.GetRequiredService<RetentionPass>();
        var first = await Send("trigger", "retention-b");
        await Send("resolve", "retention-b");
        var second = await Send("trigger", "retention-b");
        Assert.NotEqual(first.IncidentId, second.IncidentId);
        await Eventually.TrueAsync(async () => await _redis.Db.SortedSetScoreAsync(RedisKeys.RetentionDedupDue, first.IncidentId!) is not null, Patience, "the first incident scheduled");

        _clock.Advance(TimeSpan.FromHours(25));
        await pass.RunAsync(_clock.GetUtcNow());

        Assert.Equal(second.IncidentId, (string?)await _redis.Db.StringGetAsync(RedisKeys.Dedup(AlertNormaliser.GenericSource, "retention-b")));
        Assert.True(await _redis.Db.KeyExistsAsync(RedisKeys.Incident(second.IncidentId!)), "the open incident is untouched");
    }

    [Fact]
    public async Task Old_events_and_dead_letters_are_trimmed_by_age_but_never_events_a_consumer_group_still_needs()
    {
        await using var worker = StartWorker();
        var pass = worker.Services.GetRequiredService<RetentionPass>();
        await Send("trigger", "retention-c");
        var log = worker.Services.GetRequiredService<OpsEventLog>();
        var first = StreamId.Parse((await _redis.Db.StreamRangeAsync(RedisKeys.OpsEvents, "-", "+", 1))[0].Id.ToString());
        await _redis.Db.StreamAddAsync(RedisKeys.AgentsDead, [new("work", "{}"), new("id", "1-0"), new("deliveries", 5)]);

        // A group that has read nothing yet (a lagging consumer): nothing of the log may go.
        await _redis.Db.StreamCreateConsumerGroupAsync(RedisKeys.OpsEvents, "lagging", "0-0");
        _clock.Advance(TimeSpan.FromDays(8));
        await pass.RunAsync(_clock.GetUtcNow());
        Assert.False(await log.TrimmedAfterAsync(StreamId.Zero), "nothing trimmed while a group has not read it");

        await _redis.Db.StreamDeleteConsumerGroupAsync(RedisKeys.OpsEvents, "lagging");
        // Once the metrics worker has consumed the events (it reads within a second), they are old enough to go.
        await Eventually.TrueAsync(async () =>
        {
            await pass.RunAsync(_clock.GetUtcNow());
            return await log.TrimmedAfterAsync(first);
        }, Patience, "the old events trimmed");
        Assert.Equal(1, await _redis.Db.StreamLengthAsync(RedisKeys.AgentsDead));
        // A cursor from before the trim (a hub client, the retrieval index) learns it must resync; one past it does not.
        Assert.True(await log.TrimmedAfterAsync(first));
        // The newest id is still known when the trim has emptied the log (a quiet week): a new reader starts there.
        Assert.False(await log.TrimmedAfterAsync(StreamId.Parse(await log.LastIdAsync())), "a cursor at the newest event has missed nothing");

        _clock.Advance(TimeSpan.FromDays(7));
        await pass.RunAsync(_clock.GetUtcNow());
        Assert.Equal(0, await _redis.Db.StreamLengthAsync(RedisKeys.AgentsDead));
    }

    [Fact]
    public async Task A_log_emptied_by_retention_still_gives_a_new_reader_a_cursor_that_needs_no_resync()
    {
        await Send("trigger", "retention-d");
        var log = new OpsEventLog(_redis.Connection);
        var newest = await log.LastIdAsync();
        // What a quiet week's retention passes leave: every event consumed and old, the log empty but not deleted.
        await _redis.Db.StreamTrimAsync(RedisKeys.OpsEvents, 0);
        Assert.Equal(0, await _redis.Db.StreamLengthAsync(RedisKeys.OpsEvents));

        Assert.Equal(newest, await log.LastIdAsync());
        Assert.False(await log.TrimmedAfterAsync(StreamId.Parse(newest)), "a reader starting at the newest id would otherwise resync on every connect");
        Assert.True(await log.TrimmedAfterAsync(StreamId.Zero), "one from before the trim must still resync");
    }

    [Fact]
    public async Task An_open_incidents_timeline_keeps_its_newest_entries()
    {
        await using var worker = StartWorker(timelineMaxEntries: 100);
        var opened = await Send("trigger", "retention-d");
        var timeline = RedisKeys.Timeline(opened.IncidentId!);
        for (var i = 0; i < 150; i++)
        {
            await _redis.Db.ListRightPushAsync(timeline, $"{{\"id\":\"0-{i}\"}}");
        }

        await worker.Services.GetRequiredService<RetentionPass>().RunAsync(_clock.GetUtcNow());

        Assert.Equal(100, await _redis.Db.ListLengthAsync(timeline));
        Assert.Equal("{\"id\":\"0-149\"}", (string?)await _redis.Db.ListGetByIndexAsync(timeline, -1));
    }

    [Theory]
    [InlineData(false, false, IncidentRetention.WaitForFact)]
    [InlineData(false, true, IncidentRetention.Archive)]
    [InlineData(true, false, IncidentRetention.Archive)]
    public void Past_retention_an_incident_goes_only_once_the_figures_hold_it_or_it_is_a_drill(bool drill, bool factHeld, IncidentRetention expected)
    {
        var now = DateTimeOffset.Parse("2026-12-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var resolved = new Incident("inc_1", "t", IncidentStatus.Resolved, Severity.Error, "svc", "k", now.AddDays(-100), now.AddDays(-100), null, now.AddDays(-91), [], 3) { Drill = drill };
        Assert.Equal(expected, new RetentionRules(new RetentionOptions(), now).Decide(resolved, factHeld));
        Assert.Equal(IncidentRetention.Unschedule, new RetentionRules(new RetentionOptions(), now).Decide(resolved with { Status = IncidentStatus.Triggered }, factHeld));
        Assert.Equal(IncidentRetention.ReleaseDedup, new RetentionRules(new RetentionOptions(), now.AddDays(-80)).Decide(resolved, factHeld));
        Assert.Equal(IncidentRetention.NotYet, new RetentionRules(new RetentionOptions(), now.AddDays(-91)).Decide(resolved, factHeld));
    }

    private static long Trimmed(MetricCollector<long> collector, string what) =>
        collector.GetMeasurementSnapshot().Where(m => Equals(m.Tags["what"], what)).Sum(m => m.Value);

    private async Task<IngestOutcome> Send(string action, string dedupKey) =>
        await _ingestor.IngestAsync(EventValidation.Validate(new PagerDutyEvent
        {
            RoutingKey = "team",
            EventAction = action,
            DedupKey = dedupKey,
            Payload = action == "trigger" ? new PagerDutyPayload { Summary = $"Disk filling {dedupKey}", Source = $"svc-{dedupKey}", Severity = "error" } : null,
        }).Event!, null);
}
