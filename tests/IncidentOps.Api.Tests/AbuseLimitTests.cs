using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace IncidentOps.Api.Tests;

/// <summary>Abuse is bounded: request rates per identity and per ingest token, the hub's origins, streams and replay.</summary>
public class AbuseLimitTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private WebApplicationFactory<Program> With(params (string Key, string Value)[] settings) => api.Factory.WithWebHostBuilder(web =>
    {
        foreach (var (key, value) in settings)
        {
            web.UseSetting(key, value);
        }
    });

    /// <summary>A viewer's hub connection to <paramref name="app"/> (long polling: the test server has no WebSockets).</summary>
    private HubConnection ViewerHub(WebApplicationFactory<Program> app) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/ops"), o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Transports = Microsoft.AspNetCore.Http.Connections.HttpTransportType.LongPolling;
            o.AccessTokenProvider = async () => await api.SignIn.TokenAsync("viewer");
        })
        .Build();

    [Fact]
    public async Task A_person_over_their_rate_gets_429_with_retry_after_and_others_are_not_slowed()
    {
        await using var limited = With(("RateLimits:PerIdentityPerSecond", "1"), ("RateLimits:PerIdentityBurst", "3"));
        using var viewer = limited.CreateClient();
        viewer.DefaultRequestHeaders.Authorization = new("Bearer", await api.SignIn.TokenAsync("viewer"));
        using var responder = limited.CreateClient();
        responder.DefaultRequestHeaders.Authorization = new("Bearer", await api.SignIn.TokenAsync("responder"));

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 6 && refused is null; i++)
        {
            var response = await viewer.GetAsync("/api/v1/incidents?limit=1");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), $"Retry-After: {refused.Headers.RetryAfter}");
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using var other = await responder.GetAsync("/api/v1/incidents?limit=1");
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task An_ingest_token_over_its_rate_gets_429_and_nothing_is_stored()
    {
        await using var limited = With(("RateLimits:IngestPerSecond", "1"), ("RateLimits:IngestBurst", "2"));
        using var monitor = limited.CreateClient();
        monitor.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.EventsToken);

        var keys = Enumerable.Range(0, 5).Select(_ => $"burst-{Guid.NewGuid():N}").ToList();
        var statuses = new List<HttpStatusCode>();
        foreach (var key in keys)
        {
            using var response = await monitor.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger(key));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
                Assert.False(await api.Redis.Db.KeyExistsAsync(Core.Storage.RedisKeys.Dedup("events", key)), "a refused alert was stored");
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Contains(HttpStatusCode.Accepted, statuses);
    }

    [Fact]
    public async Task The_hub_refuses_a_browser_from_another_origin()
    {
        using var client = api.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", await api.SignIn.TokenAsync("viewer"));

        using var evil = new HttpRequestMessage(HttpMethod.Post, "/hubs/ops/negotiate?negotiateVersion=1");
        evil.Headers.Add("Origin", "https://evil.example");
        using var refused = await client.SendAsync(evil);
        using var ours = new HttpRequestMessage(HttpMethod.Post, "/hubs/ops/negotiate?negotiateVersion=1");
        ours.Headers.Add("Origin", ApiFixture.WebOrigin);
        using var accepted = await client.SendAsync(ours);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Contains("evil.example", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Fact]
    public async Task CORS_answers_only_the_listed_origin()
    {
        using var client = api.Factory.CreateClient();
        async Task<string?> AllowedFor(string origin)
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/api/v1/incidents");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "GET");
            using var response = await client.SendAsync(preflight);
            return response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
        }

        Assert.Equal(ApiFixture.WebOrigin, await AllowedFor(ApiFixture.WebOrigin));
        Assert.Null(await AllowedFor("http://localhost:3001"));
        Assert.Null(await AllowedFor("https://evil.example"));
    }

    [Fact]
    public async Task A_replay_from_far_behind_is_told_to_resync_and_streams_per_identity_are_bounded()
    {
        while (await api.Redis.Db.StreamLengthAsync(Core.Storage.RedisKeys.OpsEvents) <= 150)
        {
            await api.PostAsync(ApiFixture.Trigger($"replay-{Guid.NewGuid():N}"));
        }

        await using var limited = With(("Hub:MaxReplayEvents", "100"), ("Hub:MaxStreamsPerIdentity", "1"));
        await using var hub = ViewerHub(limited);
        await hub.StartAsync();

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var resync = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<JsonElement>("Subscribe", "0-0", deadline.Token))
            {
            }
        });
        Assert.Contains("resync:", resync.Message, StringComparison.Ordinal);

        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var live = hub.StreamAsync<JsonElement>("Subscribe", null, cancel.Token).GetAsyncEnumerator(cancel.Token);
        var pending = live.MoveNextAsync().AsTask();
        var second = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in hub.StreamAsync<JsonElement>("Subscribe", null, cancel.Token))
            {
            }
        });
        Assert.Contains("Too many live subscriptions", second.Message, StringComparison.Ordinal);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => pending);
    }

    [Fact]
    public async Task A_screen_that_closes_its_live_stream_gets_its_slot_back_and_its_next_stream_flows()
    {
        await using var limited = With(("Hub:MaxStreamsPerIdentity", "1"));
        await using var hub = ViewerHub(limited);
        await hub.StartAsync();

        // Something to replay, then nothing new: each stream below has an event as soon as it is open (the replay from just
        // before the last one), and the server's side of the first is then waiting on its queue, with nothing arriving
        // that would wake it, when the screen closes it.
        await api.PostAsync(ApiFixture.Trigger($"closing-{Guid.NewGuid():N}"));
        var last = Core.Storage.StreamId.Parse((await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents")).GetProperty("lastEventId").GetString()!);
        var replayFrom = $"{last.Milliseconds - 1}-0";
        using (var first = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            var stream = hub.StreamAsync<JsonElement>("Subscribe", replayFrom, first.Token).GetAsyncEnumerator(first.Token);
            Assert.True(await stream.MoveNextAsync());
            await first.CancelAsync();
            await stream.DisposeAsync();
        }

        // Only one stream per identity: the next one opens only once the server has let the first one go; until then each
        // attempt is refused.
        using var second = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var received = await Eventually.ResultAsync(async () =>
        {
            var stream = hub.StreamAsync<JsonElement>("Subscribe", replayFrom, second.Token).GetAsyncEnumerator(second.Token);
            Assert.True(await stream.MoveNextAsync()); // a "Too many live subscriptions" refusal throws here
            return stream.Current;
        }, TimeSpan.FromSeconds(20), "a second stream of the same identity after the first was closed");
        Assert.False(string.IsNullOrEmpty(received.GetProperty("id").GetString()));
        await second.CancelAsync();
    }

    [Fact]
    public async Task Past_its_capacity_ingest_answers_503_with_retry_after_at_once_and_stores_nothing_of_what_it_refused()
    {
        await using var tight = With(("Ingest:Admission:MaxInFlight", "1"), ("Ingest:Admission:MaxQueued", "0"), ("Ingest:Admission:MaxQueueWaitMilliseconds", "1"));
        using var sender = tight.CreateClient();
        sender.DefaultRequestHeaders.Authorization = new("Bearer", ApiFixture.EventsToken);
        var accepted = new List<string>();
        HttpResponseMessage? refused = null;
        string? refusedKey = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (refused is null)
        {
            deadline.Token.ThrowIfCancellationRequested();
            var keys = Enumerable.Range(0, 20).Select(i => $"overload-{i}-{Guid.NewGuid():N}").ToList();
            var responses = await Task.WhenAll(keys.Select(k => sender.PostAsJsonAsync("/api/v1/events", ApiFixture.Trigger(k), deadline.Token)));
            foreach (var (key, response) in keys.Zip(responses))
            {
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    accepted.Add(key);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                    (refused, refusedKey) = (response, key);
                }
            }
        }

        Assert.Equal("1", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("At capacity", problem.GetProperty("title").GetString());
        Assert.Contains("1 in progress", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.False(await api.Redis.Db.KeyExistsAsync(Core.Storage.RedisKeys.Dedup("events", refusedKey!)));
        Assert.NotEmpty(accepted);
        Assert.All(accepted, k => Assert.True(api.Redis.Db.KeyExists(Core.Storage.RedisKeys.Dedup("events", k)), k));
    }
}
