using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

public class ApiKeyAndAuditTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task An_admin_creates_a_scoped_api_key_it_works_with_its_role_only_its_use_is_shown_and_revoking_stops_it()
    {
        var admin = await api.As("admin");
        using var created = await admin.PostAsJsonAsync("/api/v1/admin/api-keys", new { name = "status page", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        var keyId = body.GetProperty("key").GetProperty("id").GetString()!;

        // Only the digest is stored: the secret is nowhere in Redis.
        var stored = await api.Redis.Db.HashGetAllAsync(RedisKeys.ApiKeys);
        Assert.DoesNotContain(stored, e => e.Value.ToString().Contains(secret, StringComparison.Ordinal));
        Assert.DoesNotContain(await api.Redis.Db.HashKeysAsync(RedisKeys.ApiKeyDigests), k => k.ToString() == secret);

        using var robot = api.Factory.CreateClient();
        robot.DefaultRequestHeaders.Add("X-Api-Key", secret);
        var id = (await api.PostAsync(ApiFixture.Trigger($"key-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString()!;
        // A key polling an endpoint is audited once an hour for it, not once per poll.
        for (var poll = 0; poll < 3; poll++)
        {
            using var read = await robot.GetAsync($"/api/v1/incidents/{id}");
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }

        using (var write = await robot.PostAsJsonAsync($"/api/v1/incidents/{id}/acknowledge", new { reason = "robot" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }

        var keys = await admin.GetFromJsonAsync<JsonElement>("/api/v1/admin/api-keys");
        var listed = keys.EnumerateArray().Single(k => k.GetProperty("id").GetString() == keyId);
        Assert.Equal(JsonValueKind.String, listed.GetProperty("lastUsedAt").ValueKind);
        Assert.Equal(secret[..10], listed.GetProperty("prefix").GetString());
        Assert.DoesNotContain(secret, keys.GetRawText(), StringComparison.Ordinal);

        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?subject={keyId}");
        Assert.Single(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "GetIncident" && e.GetProperty("outcome").GetString() == "200");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("actor").GetProperty("apiKeyId").GetString() == keyId && e.GetProperty("outcome").GetString() == "403");

        using (var revoke = await admin.DeleteAsync($"/api/v1/admin/api-keys/{keyId}"))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var afterRevoke = await robot.GetAsync($"/api/v1/incidents/{id}");
        Assert.Equal(HttpStatusCode.Unauthorized, afterRevoke.StatusCode);
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_what_where_the_trace_and_the_outcome()
    {
        var id = (await api.PostAsync(ApiFixture.Trigger($"audit-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString()!;
        var responder = await api.As("responder");
        responder.DefaultRequestHeaders.UserAgent.ParseAdd("audit-test/1.0");
        using (var ack = await responder.PostAsJsonAsync($"/api/v1/incidents/{id}/acknowledge", new { reason = "on it" }))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        using (var again = await responder.PostAsJsonAsync($"/api/v1/incidents/{id}/acknowledge", new { reason = "twice" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        }

        var admin = await api.As("admin");
        var page = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=AcknowledgeIncident&subject=responder");
        var entries = page.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("target").GetString() == $"id={id}").ToList();
        Assert.Equal(["409", "200"], entries.Select(e => e.GetProperty("outcome").GetString()));
        var first = entries[1];
        Assert.Equal(("responder", "Ravi Responder", "responder"), (
            first.GetProperty("actor").GetProperty("subject").GetString(),
            first.GetProperty("actor").GetProperty("name").GetString(),
            first.GetProperty("actor").GetProperty("role").GetString()));
        Assert.Equal("audit-test/1.0", first.GetProperty("userAgent").GetString());
        Assert.Equal(32, first.GetProperty("traceId").GetString()!.Length);

        // The incident's timeline shows the same person.
        var incident = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var acknowledged = incident.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "incident.acknowledged");
        Assert.Equal("Ravi Responder", acknowledged.GetProperty("data").GetProperty("actor").GetString());

        // Paging: one at a time, newest first, the cursor moving back.
        var one = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?limit=1&action=AcknowledgeIncident&subject=responder");
        var next = one.GetProperty("next").GetString();
        var two = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit?limit=1&action=AcknowledgeIncident&subject=responder&before={next}");
        Assert.True(StreamId.Parse(two.GetProperty("items")[0].GetProperty("id").GetString()!) < StreamId.Parse(next!));
    }

    [Fact]
    public async Task A_rotated_ingest_token_works_at_once_the_earlier_one_keeps_working_for_its_grace_and_the_rotation_is_audited()
    {
        var admin = await api.As("admin");
        using var first = await admin.PostAsync("/api/v1/admin/ingest-tokens/alertmanager/rotate", null);
        var firstToken = (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using var second = await admin.PostAsync("/api/v1/admin/ingest-tokens/alertmanager/rotate?graceHours=0", null);
        var secondToken = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;

        async Task<HttpStatusCode> PostWith(string token)
        {
            var key = Guid.NewGuid().ToString("N");
            var payload = Payloads.AlertmanagerPayloads.Webhook($"{{}}:{{alertname=\"Rotated{key}\"}}", "firing",
                Payloads.AlertmanagerPayloads.Alert(key, "firing", $"Rotated{key}", $"svc-{key}"));
            using var client = api.Factory.CreateClient();
            using var response = await client.PostAsJsonAsync($"/api/v1/alerts/alertmanager/{token}", payload);
            return response.StatusCode;
        }

        Assert.Equal(HttpStatusCode.Accepted, await PostWith(secondToken));
        Assert.Equal(HttpStatusCode.Unauthorized, await PostWith(firstToken));
        Assert.Equal(HttpStatusCode.Accepted, await PostWith(ApiFixture.AlertmanagerToken));

        var stored = await api.Redis.Db.HashGetAllAsync(RedisKeys.IngestTokens("alertmanager"));
        Assert.DoesNotContain(stored, e => e.Value.ToString().Contains(secondToken, StringComparison.Ordinal) || e.Name.ToString() == secondToken);
        var audit = await admin.GetFromJsonAsync<JsonElement>("/api/v1/audit?action=RotateIngestToken");
        Assert.True(audit.GetProperty("items").GetArrayLength() >= 2);
        Assert.DoesNotContain(secondToken, audit.GetRawText(), StringComparison.Ordinal);
    }
}

public class AuditRetentionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task Entries_older_than_the_retention_are_trimmed_by_age_and_a_burst_does_not_push_out_recent_ones()
    {
        var clock = new IncidentOps.Testing.TestClock(DateTimeOffset.UtcNow.AddYears(3));
        var audit = new AuditLog(api.Redis.Connection, clock, Microsoft.Extensions.Options.Options.Create(new AuditOptions { RetentionDays = 30 }));
        static IncidentOps.Core.Access.AuditEntry Entry(string action) =>
            new(string.Empty, default, action, null, IncidentOps.Core.Access.AuditActor.Anonymous, "200", null, null, null, null);

        var old = await audit.AppendAsync(Entry("retention.old"));
        Assert.StartsWith(clock.Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), old, StringComparison.Ordinal);
        clock.Now = clock.Now.AddDays(29);
        for (var i = 0; i < 200; i++)
        {
            await audit.AppendAsync(Entry("retention.burst"));
        }

        Assert.Single((await audit.QueryAsync(new IncidentOps.Core.Access.AuditQuery(null, 500, null, "retention.old", null))).Items);

        clock.Now = clock.Now.AddDays(2);
        await audit.AppendAsync(Entry("retention.new"));

        var (items, _) = await audit.QueryAsync(new IncidentOps.Core.Access.AuditQuery(null, 500, null, "retention.", null));
        Assert.DoesNotContain(items, e => e.Id == old);
        Assert.Equal(201, items.Count);
    }
}
