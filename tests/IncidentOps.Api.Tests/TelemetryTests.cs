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
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using System.Diagnostics.Metrics;
using System.Text.Json;
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
    public async Task The_trace_of_an_ingest_request_continues_to_the_hub_broadcast_of_its_events()
    {
        var exported = new List<Activity>();
        // The API's ActivitySource is static: a provider of this test sees the spans the fixture's API host makes.
        using var provider = OpenTelemetry.Sdk.CreateTracerProviderBuilder()
            .SetSampler(new BackgroundPollSampler())
            .AddSource(IncidentOpsTelemetry.Api)
            .AddInMemoryExporter(exported)
            .Build();
        var trace = ActivityTraceId.CreateRandom();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/events") { Content = JsonContent.Create(ApiFixture.Trigger($"trace-{Guid.NewGuid():N}")) };
        request.Headers.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        using var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(() =>
        {
            provider.ForceFlush();
            lock (exported)
            {
                return Task.FromResult(exported.Any(a => a.DisplayName == "ops.broadcast" && a.TraceId == trace));
            }
        }, TimeSpan.FromSeconds(20), "an ops.broadcast span in the request's trace");
    }

    [Fact]
    public async Task The_hub_measures_how_long_an_alert_waited_in_the_log_before_it_read_it_for_the_screens()
    {
        using var lag = new MetricCollector<double>(null, IncidentOpsTelemetry.Api, "incidentops.hub.frame.lag");

        using var response = await api.Client.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger($"lag-{Guid.NewGuid():N}"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync(() => Task.FromResult(lag.GetMeasurementSnapshot().Count > 0), TimeSpan.FromSeconds(20), "a frame's lag measured");
        // From the append (the event id's time) to the hub's read: never negative, and seconds at most on a test's idle hub.
        Assert.All(lag.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 30));
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

    [Fact]
    public async Task Refused_ingest_is_counted_with_its_reason_429_for_the_rate_limit_and_503_at_capacity()
    {
        using var refused = new MetricCollector<long>(null, IncidentOpsTelemetry.Api, "incidentops.ingest.refused");

        await using (var limited = api.Factory.WithWebHostBuilder(web => web.UseSetting("RateLimits:IngestPerSecond", "1").UseSetting("RateLimits:IngestBurst", "1")))
        {
            using var sender = limited.CreateClient();
            sender.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.EventsToken);
            var statuses = new List<HttpStatusCode>();
            for (var i = 0; i < 5 && !statuses.Contains(HttpStatusCode.TooManyRequests); i++)
            {
                using var response = await sender.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger($"refused-{Guid.NewGuid():N}"));
                statuses.Add(response.StatusCode);
            }

            Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
            Assert.True(Reasons(refused).Count(r => r == "rate_limit") >= statuses.Count(s => s == HttpStatusCode.TooManyRequests), "every 429 counted as rate_limit");
        }

        await using (var tight = api.Factory.WithWebHostBuilder(web => web.UseSetting("Ingest:Admission:MaxInFlight", "1")
            .UseSetting("Ingest:Admission:MaxQueued", "0").UseSetting("Ingest:Admission:MaxQueueWaitMilliseconds", "1")))
        {
            using var sender = tight.CreateClient();
            sender.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.EventsToken);
            var unavailable = 0;
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            while (unavailable == 0)
            {
                var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
                    sender.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger($"capacity-{Guid.NewGuid():N}"), deadline.Token)));
                unavailable += responses.Count(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
                Array.ForEach(responses, r => r.Dispose());
            }

            Assert.True(Reasons(refused).Count(r => r == "capacity") >= unavailable, "every 503 at capacity counted as capacity");
        }

        // The meter is static and other test classes refuse ingest in this process at the same time: at least this test's refusals.
        static List<string?> Reasons(MetricCollector<long> collector) =>
            [.. collector.GetMeasurementSnapshot().Select(m => m.Tags["reason"] as string)];
    }

    [Fact]
    public async Task The_hub_connections_gauge_follows_clients_connecting_and_leaving_and_resyncs_are_counted_by_reason()
    {
        using var connections = new MetricCollector<int>(api.Factory.Services.GetRequiredService<IMeterFactory>(), IncidentOpsTelemetry.Api, "incidentops.hub.connections");
        using var resyncs = new MetricCollector<long>(null, IncidentOpsTelemetry.Api, "incidentops.hub.resyncs");
        int Connections()
        {
            connections.RecordObservableInstruments();
            return connections.LastMeasurement?.Value ?? throw new InvalidOperationException("the gauge reported nothing");
        }

        var before = Connections();
        var first = api.Hub();
        var second = api.Hub();
        await first.StartAsync();
        await second.StartAsync();
        await Eventually.TrueAsync(() => Task.FromResult(Connections() == before + 2), TimeSpan.FromSeconds(20), "two connections counted");

        await first.DisposeAsync();
        await Eventually.TrueAsync(() => Task.FromResult(Connections() == before + 1), TimeSpan.FromSeconds(20), "the closed connection uncounted");

        // A client replaying from further back than Hub:MaxReplayEvents is told to resync: counted as replay_limit.
        while (await api.Redis.Db.StreamLengthAsync(RedisKeys.OpsEvents) <= 150)
        {
            await api.PostAsync(ApiFixture.Trigger($"resync-{Guid.NewGuid():N}"));
        }

        await using var limited = api.Factory.WithWebHostBuilder(web => web.UseSetting("Hub:MaxReplayEvents", "100"));
        await using var behind = new HubConnectionBuilder()
            .WithUrl(new Uri(limited.Server.BaseAddress, "/hubs/ops"), o =>
            {
                o.HttpMessageHandlerFactory = _ => limited.Server.CreateHandler();
                o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
                o.AccessTokenProvider = async () => await api.SignIn.TokenAsync("viewer");
            })
            .Build();
        await behind.StartAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in behind.StreamAsync<JsonElement>("Subscribe", "0-0", deadline.Token))
            {
            }
        });
        Assert.Contains(resyncs.GetMeasurementSnapshot(), m => m.Tags["reason"] as string == "replay_limit");

        await second.DisposeAsync();
        await Eventually.TrueAsync(() => Task.FromResult(Connections() == before), TimeSpan.FromSeconds(20), "every connection of this host uncounted");
    }
}
