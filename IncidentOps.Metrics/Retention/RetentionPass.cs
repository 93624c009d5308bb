using IncidentOps.Core.Storage;
using IncidentOps.Figures;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Metrics.Retention;

/// <summary>What one pass of the trimmer removed.</summary>
public sealed record RetentionReport(long Events, long DeadLetters, long WorkEntries, long TimelineEntries, long DedupKeys, int IncidentsArchived, int WaitingForFacts);

/// <summary>
/// One pass of retention over everything that grows: <c>ops:events</c> by age (never past what the metrics group has not
/// consumed), acknowledged work of <c>agents:work</c>/<c>agents:urgent</c>, dead letters by age, open incidents'
/// timelines by length, dedup and grouping keys of incidents resolved longer than the grace ago, and resolved incidents
/// past their retention (only once the metrics facts hold them, so the business figures do not change).
/// </summary>
public sealed class RetentionPass(
    IConnectionMultiplexer redis,
    RetentionStore store,
    IncidentStore incidents,
    FactStore facts,
    RetentionTelemetry telemetry,
    IOptions<RetentionOptions> options)
{
    public async Task<RetentionReport> RunAsync(DateTimeOffset now)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var rules = new RetentionRules(options.Value, now);
        var db = redis.GetDatabase();
        await RedisRoundTrip.MeasureAsync(db);
        await BackfillAsync(now);

        var keepEvents = RetentionRules.Earliest(rules.EventsKeepFrom, await ConsumerGroups.ConsumedBoundAsync(db, RedisKeys.OpsEvents));
        var report = new RetentionReport(
            Events: await store.TrimStreamAsync(RedisKeys.OpsEvents, keepEvents),
            DeadLetters: await store.TrimStreamAsync(RedisKeys.AgentsDead, rules.DeadLettersKeepFrom),
            // The agents worker trims its acknowledged work on each heartbeat too; a second trim to the same bound is harmless,
            // and this one also runs while no agents worker is up.
            WorkEntries: await ConsumerGroups.TrimAcknowledgedAsync(db, RedisKeys.AgentsWork) + await ConsumerGroups.TrimAcknowledgedAsync(db, RedisKeys.AgentsUrgent),
            TimelineEntries: await store.CapOpenTimelinesAsync(options.Value.TimelineMaxEntries),
            DedupKeys: await ReleaseDedupKeysAsync(rules),
            IncidentsArchived: 0,
            WaitingForFacts: 0);
        var (archived, waiting) = await ArchiveAsync(rules);
        report = report with { IncidentsArchived = archived, WaitingForFacts = waiting };
        telemetry.Record(report, System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return report;
    }

    /// <summary>Once: schedules every resolved incident stored before the trimmer (and the metrics worker's scheduling) existed.</summary>
    private async Task BackfillAsync(DateTimeOffset now)
    {
        if (await store.BackfilledAsync())
        {
            return;
        }

        var page = new List<(string, long?)>();
        await foreach (var incident in incidents.AllAsync())
        {
            page.Add((incident.Id, incident.IsOpen ? null : incident.ResolvedAt?.ToUnixTimeMilliseconds()));
            if (page.Count == 1_000)
            {
                await store.ScheduleAsync(page);
                page.Clear();
            }
        }

        await store.ScheduleAsync(page);
        await store.MarkBackfilledAsync(now);
    }

    private async Task<long> ReleaseDedupKeysAsync(RetentionRules rules)
    {
        long released = 0;
        foreach (var id in await store.DueAsync(RedisKeys.RetentionDedupDue, rules.DedupReleasedBefore, options.Value.BatchSize))
        {
            if (await incidents.GetAsync(id) is { IsOpen: false } incident)
            {
                released += await store.ReleaseIndexKeysAsync(incident);
            }

            await store.UnscheduleAsync(RedisKeys.RetentionDedupDue, id);
        }

        return released;
    }

    private async Task<(int Archived, int WaitingForFacts)> ArchiveAsync(RetentionRules rules)
    {
        if (rules.ArchivedBefore is not { } before)
        {
            return (0, 0);
        }

        var due = await store.DueAsync(RedisKeys.RetentionArchiveDue, before, options.Value.BatchSize);
        var held = await facts.GetAsync(due);
        int archived = 0, waiting = 0;
        foreach (var id in due)
        {
            var incident = await incidents.GetAsync(id);
            switch (rules.Decide(incident, held.ContainsKey(id)))
            {
                case IncidentRetention.Unschedule:
                    await store.UnscheduleAsync(RedisKeys.RetentionArchiveDue, id);
                    break;
                case IncidentRetention.WaitForFact:
                    waiting++;
                    break;
                case IncidentRetention.Archive:
                    await store.ReleaseIndexKeysAsync(incident!);
                    archived += await store.DeleteAsync(id) ? 1 : 0;
                    break;
            }
        }

        return (archived, waiting);
    }
}
