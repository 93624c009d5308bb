using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using IncidentOps.Core;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;
using StackExchange.Redis;

namespace IncidentOps.Api.Tests;

/// <summary>
/// What operators see, against a real redis-server: the service defaults' tracing (the Redis client as the services
/// register it) drops background polls and keeps Redis commands inside a traced operation; the meters they alarm on
/// record what happened.
/// </summary>
public sealed class TelemetryTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly ActivitySource Work = new("IncidentOps.Tests.Telemetry");

    [Fact]
    public async Task Background_redis_polls_make_no_traces_but_redis_commands_inside_a_traced_operation_do()
    {
        var exported = new List<Activity>();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [$"ConnectionStrings:{ResourceNames.Redis}"] = api.Redis.ConnectionString });
        builder.AddServiceDefaults();
        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddSource(Work.Name).AddInMemoryExporter(exported));
        using var host = builder.Build();
        await host.StartAsync();
        var db = host.Services.GetRequiredService<IConnectionMultiplexer>().GetDatabase();

        // A poll as the workers make them: no request, no operation around it.
        Assert.Null(Activity.Current);
        await db.StreamRangeAsync(RedisKeys.OpsEvents, "-", "+", 1);
        string parentSpan;
        using (var operation = Work.StartActivity("handle-work"))
        {
            parentSpan = operation!.SpanId.ToString();
            await db.StringGetAsync($"{RedisKeys.Tag}:telemetry-test");
        }

        // The Redis instrumentation turns commands into spans when it drains its sessions (every few seconds). Its
        // ActivitySource is static: this provider also sees the Redis spans of the other API hosts in this process.
        var provider = host.Services.GetRequiredService<TracerProvider>();
        await Eventually.TrueAsync(() =>
        {
            provider.ForceFlush();
            lock (exported)
            {
                return Task.FromResult(exported.Any(a => a.DisplayName == "GET" && a.ParentSpanId.ToString() == parentSpan));
            }
        }, TimeSpan.FromSeconds(30), "the GET inside the operation exported");

        lock (exported)
        {
            var redisSpans = exported.Where(a => a.Kind == ActivityKind.Client && (a.GetTagItem("db.system") is "redis" || a.GetTagItem("db.system.name") is "redis")).ToList();
            Assert.Contains(redisSpans, a => a.DisplayName == "GET" && a.ParentSpanId.ToString() == parentSpan);
            Assert.DoesNotContain(redisSpans, a => a.ParentSpanId == default);
            Assert.Contains(exported, a => a.DisplayName == "handle-work" && a.ParentSpanId == default);
        }

        await host.StopAsync();
    }

    [Fact]
    public async Task Ingest_outcomes_and_the_redis_round_trip_are_measured()
    {
        using var ingested = new MetricCollector<long>(null, IncidentOpsTelemetry.Api, "incidentops.alerts.ingested");
        using var roundTrip = new MetricCollector<double>(null, RedisRoundTrip.MeterName, "incidentops.redis.rtt");
        var key = $"telemetry-{Guid.NewGuid():N}";

        using (var first = await api.Client.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger(key)))
        using (var repeat = await api.Client.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger(key)))
        {
            Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
            Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        }

        await RedisRoundTrip.MeasureAsync(api.Redis.Db);

        // Other tests of the fixture ingest at the same time: at least this test's two outcomes are there.
        var outcomes = ingested.GetMeasurementSnapshot().Select(m => m.Tags["outcome"] as string).ToList();
        Assert.Contains("opened", outcomes);
        Assert.Contains("duplicate", outcomes);
        Assert.Contains(roundTrip.GetMeasurementSnapshot(), m => m.Value > 0);
    }
}
