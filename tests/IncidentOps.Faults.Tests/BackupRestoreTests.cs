using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentOps.Faults.Tests;

/// <summary>
/// The backup procedure the README gives, run for real: an RDB snapshot of a live server, restored into a fresh
/// redis-server, AOF switched back on there, and the incidents read back, also after that server is killed.
/// </summary>
public class BackupRestoreTests(ITestOutputHelper output)
{
    private const int Alerts = 40;

    [Fact]
    public async Task A_snapshot_restored_into_a_fresh_redis_server_has_every_incident()
    {
        await using var live = new DurableRedis();
        await live.StartAsync();
        var incidents = new Dictionary<string, string>();
        using (var api = new ApiProcess(live.ConnectionString))
        {
            await api.StartAsync();
            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiProcess.EventsToken);
            for (var i = 0; i < Alerts; i++)
            {
                var key = $"backup-{Guid.NewGuid():N}";
                using var response = await http.PostAsJsonAsync("/api/v1/events", new
                {
                    routing_key = "team-backup", event_action = "trigger", dedup_key = key,
                    payload = new { summary = $"backup {i}", source = $"svc-{i}", severity = "warning" },
                });
                Assert.Equal(System.Net.HttpStatusCode.Accepted, response.StatusCode);
                incidents[key] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetString()!;
            }
        }

        var snapshot = Path.Combine(Path.GetTempPath(), $"incidentops-{Guid.NewGuid():N}.rdb");
        await live.SnapshotAsync(snapshot);

        await using var restored = new DurableRedis();
        restored.PlaceSnapshot(snapshot);
        await restored.StartAsync(appendOnly: false);
        // Turning AOF on at runtime rewrites it from the loaded data (starting with appendonly yes would ignore the RDB).
        await using (var connection = await restored.ConnectAsync())
        {
            await connection.GetDatabase().ExecuteAsync("CONFIG", "SET", "appendonly", "yes");
            await Eventually.TrueAsync(async () => (await connection.GetServer(restored.ConnectionString).InfoAsync("persistence"))
                .SelectMany(g => g).Any(p => p.Key == "aof_rewrite_in_progress" && p.Value == "0")
                && (await connection.GetServer(restored.ConnectionString).InfoAsync("persistence")).SelectMany(g => g).Any(p => p.Key == "aof_enabled" && p.Value == "1"),
                TimeSpan.FromSeconds(30), "the AOF rewrite after CONFIG SET appendonly yes");
        }

        var afterRestore = await PresentAsync(restored, incidents);
        restored.Kill();
        await restored.StartAsync(appendOnly: true);
        var afterAofRestart = await PresentAsync(restored, incidents);
        File.Delete(snapshot);

        output.WriteLine($"{incidents.Count} incidents written through the API; snapshot {new FileInfo(snapshot).Name}; " +
                         $"restored: {afterRestore} present; after SIGKILL and a restart from the new AOF: {afterAofRestart} present.");
        Assert.Equal(incidents.Count, afterRestore);
        Assert.Equal(incidents.Count, afterAofRestart);
    }

    private static async Task<int> PresentAsync(DurableRedis redis, Dictionary<string, string> incidents)
    {
        await using var connection = await redis.ConnectAsync();
        var store = new IncidentStore(connection);
        var present = 0;
        foreach (var (key, id) in incidents)
        {
            // The document and the alerts hash both came back: the incident holds the alert it was opened by.
            if (await store.GetAsync(id) is { } incident && incident.Id == id && incident.Alerts.Any(a => a.DedupKey == key))
            {
                present++;
            }
        }

        return present;
    }
}
