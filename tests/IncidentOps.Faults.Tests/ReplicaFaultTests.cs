using System.Diagnostics;
using System.Text.Json;
using IncidentOps.Api.Hubs;
using IncidentOps.Core.Access;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// Two API processes behind a round-robin proxy (YARP), hub clients on WebSockets through it and a steady alert load;
/// one replica SIGKILLed: the clients that were on it reconnect through the proxy to the other and resume from their last
/// event id. Every event of <c>ops:events</c> reaches every client exactly once, in order.
/// </summary>
public class ReplicaFaultTests(ITestOutputHelper output)
{
    private const int Clients = 8;

    /// <summary>The ways a screen subscribes, each on both replicas (the proxy alternates).</summary>
    private static readonly string[] Methods = [nameof(OpsHub.Subscribe), nameof(OpsHub.SubscribeFrames), nameof(OpsHub.WatchFrames)];
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan AfterKill = TimeSpan.FromSeconds(4);

    [Fact]
    public async Task Hub_clients_of_a_killed_replica_resume_on_the_other_with_every_event_once_and_in_order()
    {
        await using var redis = new DurableRedis();
        await redis.StartAsync();
        await using var connection = await redis.ConnectAsync();
        var key = await new ApiKeyStore(connection, TimeProvider.System).CreateAsync("faults dashboard", Roles.Viewer, "faults");
        using var first = new ApiProcess(redis.ConnectionString);
        using var second = new ApiProcess(redis.ConnectionString);
        await first.StartAsync();
        await second.StartAsync();
        ApiProcess[] replicas = [first, second];
        await using var proxy = await RoundRobinProxy.StartAsync(first.BaseAddress, second.BaseAddress);

        var clients = Enumerable.Range(0, Clients).Select(i => new ResumingHubClient(proxy.Address, key.Secret, Methods[i % Methods.Length])).ToList();
        await using var load = new AlertLoad(proxy.Address);
        try
        {
            // From the start of the (empty) log; the round robin puts every other connection on each replica.
            foreach (var client in clients)
            {
                await client.StartAsync(StreamId.Zero.ToString());
            }

            load.Start();
            await Eventually.TrueAsync(() => Task.FromResult(load.Accepted.Count >= 100 && clients.All(c => c.Received.Count >= 50)),
                Deadline, "the clients to follow the load");
            var acceptedAtKill = load.Accepted.Count;
            // The replica holding hub connections (the round robin spreads them, unless a health probe was late at the start).
            var held = await Task.WhenAll(replicas.Select(r => HubConnectionsAsync(r.BaseAddress, key.Secret)));
            var doomed = held[0] >= held[1] ? first : second;
            doomed.Kill();
            var killed = Stopwatch.StartNew();
            var killedAt = DateTimeOffset.UtcNow;
            await Eventually.TrueAsync(() => Task.FromResult(clients.Any(c => c.Connections > 1)), Deadline, "a client of the killed replica to reconnect");
            var firstBack = killed.Elapsed;
            await Task.Delay(AfterKill); // the load goes on through the surviving replica
            await load.StopAsync();

            var expected = await AllEventIdsAsync(connection.GetDatabase());
            await Eventually.TrueAsync(() => Task.FromResult(clients.All(c => c.LastId == expected[^1])), Deadline,
                $"every client to reach the last event {expected[^1]} ({string.Join(", ", clients.Select(c => c.LastId))})");

            var moved = clients.Where(c => c.Connections > 1).ToList();
            var lost = await load.LostAsync(connection);
            output.WriteLine($"Injected: SIGKILL of API replica {doomed.BaseAddress} (one of two behind a YARP round-robin proxy, holding {held.Max()} of the hub connections) at {killedAt:HH:mm:ss.fff} " +
                $"after {acceptedAtKill:N0} alerts accepted through the proxy; {Clients} hub clients on WebSockets through the proxy (Subscribe, SubscribeFrames and WatchFrames in turn).");
            output.WriteLine($"Checked: {load.Summary()}; {load.Durability(lost)}; {moved.Count} of {Clients} clients lost their replica and reconnected " +
                $"(first back {firstBack.TotalSeconds:F1} s after the kill; ended by {string.Join(", ", moved.SelectMany(c => c.Losses).Distinct())}); " +
                $"ops:events holds {expected.Count:N0} events; per client received / missing / duplicated / out of order: " +
                string.Join("; ", clients.Select(c => $"{c.Received.Count:N0}/{expected.Except(c.Received).Count()}/{c.Received.Count - c.Received.Distinct().Count()}/{OutOfOrder(c.Received)}")) + ".");

            Assert.Empty(lost);
            Assert.NotEmpty(moved);
            Assert.All(clients, c => Assert.Equal(expected, c.Received));
            // Requests in flight to the killed replica end as the proxy's 502 (no 202, which is all a sender relies on); never a 500.
            Assert.All(load.ServerErrors, e => Assert.StartsWith("502", e, StringComparison.Ordinal));
        }
        catch
        {
            output.WriteLine($"Failed with: {load.Summary()}; clients (connections, events, last id, losses): " +
                string.Join("; ", clients.Select(c => $"{c.Connections}, {c.Received.Count}, {c.LastId}, {string.Join('/', c.Losses)}")));
            output.WriteLine($"Replica errors: {first.Errors}\n{second.Errors}");
            throw;
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<int> HubConnectionsAsync(Uri replica, string apiKey)
    {
        using var http = new HttpClient { BaseAddress = replica, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add(IncidentOps.Api.Access.ApiKeyAuthenticationHandler.Header, apiKey);
        using var health = JsonDocument.Parse(await http.GetStringAsync("/dashboard/health/detailed"));
        return health.RootElement.GetProperty("hubConnections").GetInt32();
    }

    private static async Task<List<string>> AllEventIdsAsync(IDatabase db) =>
        [.. (await db.StreamRangeAsync(RedisKeys.OpsEvents, "-", "+")).Select(e => e.Id.ToString())];

    private static int OutOfOrder(IReadOnlyList<string> ids) => ids.Zip(ids.Skip(1)).Count(p => StreamId.Parse(p.Second) <= StreamId.Parse(p.First));
}
