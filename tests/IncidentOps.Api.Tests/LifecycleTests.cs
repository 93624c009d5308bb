using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace IncidentOps.Api.Tests;

public class LifecycleTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private async Task<string> OpenAsync(string severity = "warning", string? service = null) =>
        (await api.PostAsync(ApiFixture.Trigger($"life-{Guid.NewGuid():N}", severity: severity, service: service))).GetProperty("incidentId").GetString()!;

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, object body)
    {
        using var response = await api.Client.SendAsync(new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) });
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> DoAsync(string id, string action, string by = "alice", string? reason = null) =>
        SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/{action}", new { by, reason });

    [Fact]
    public async Task An_incident_goes_triggered_acknowledged_mitigated_resolved_closed_recording_who_when_and_why()
    {
        var id = await OpenAsync();

        foreach (var (action, status) in new[] { ("acknowledge", "acknowledged"), ("mitigate", "mitigated"), ("resolve", "resolved"), ("close", "closed") })
        {
            var (code, body) = await DoAsync(id, action, reason: $"{action} because reasons");
            Assert.Equal(HttpStatusCode.OK, code);
            Assert.Equal(status, body.GetProperty("incident").GetProperty("status").GetString());
        }

        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var incident = detail.GetProperty("incident");
        foreach (var stamp in new[] { "acknowledgedAt", "mitigatedAt", "resolvedAt", "closedAt" })
        {
            Assert.Equal(JsonValueKind.String, incident.GetProperty(stamp).ValueKind);
        }

        var resolved = detail.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "incident.resolved");
        // The body still says "by": alice; the signed-in identity is what is recorded.
        Assert.Equal("Ada Admin", resolved.GetProperty("data").GetProperty("actor").GetString());
        Assert.Equal("resolve because reasons", resolved.GetProperty("data").GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("close", "triggered")]
    [InlineData("reopen", "triggered")]
    public async Task Illegal_moves_are_409_naming_the_current_state(string action, string current)
    {
        var id = await OpenAsync();

        var (status, body) = await DoAsync(id, action);

        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains(current, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_acknowledge_is_409_and_a_resolved_incident_can_be_reopened()
    {
        var id = await OpenAsync();
        Assert.Equal(HttpStatusCode.OK, (await DoAsync(id, "acknowledge")).Status);
        var (again, problem) = await DoAsync(id, "acknowledge");
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("acknowledged", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await DoAsync(id, "resolve")).Status);
        var (reopened, body) = await DoAsync(id, "reopen", reason: "error rate is back");
        Assert.Equal(HttpStatusCode.OK, reopened);
        Assert.Equal("triggered", body.GetProperty("incident").GetProperty("status").GetString());
        var list = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/incidents?status=open");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task A_person_sets_severity_assigns_and_adds_notes_and_later_alerts_do_not_override_the_severity()
    {
        var key = $"sev-{Guid.NewGuid():N}";
        var id = (await api.PostAsync(ApiFixture.Trigger(key, severity: "warning"))).GetProperty("incidentId").GetString()!;

        var (sevStatus, sev) = await SendAsync(HttpMethod.Put, $"/api/v1/incidents/{id}/severity", new { severity = "critical", by = "bob", reason = "customers affected" });
        Assert.Equal(HttpStatusCode.OK, sevStatus);
        Assert.Equal("critical", sev.GetProperty("incident").GetProperty("severity").GetString());
        await SendAsync(HttpMethod.Put, $"/api/v1/incidents/{id}/assignee", new { assignee = "carol", by = "bob" });
        await SendAsync(HttpMethod.Post, $"/api/v1/incidents/{id}/notes", new { text = "Rolled back 2.3.1", by = "carol" });
        await api.PostAsync(ApiFixture.Trigger(key, summary: "still failing", severity: "info"));

        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        Assert.Equal("critical", detail.GetProperty("incident").GetProperty("severity").GetString());
        Assert.Equal("carol", detail.GetProperty("incident").GetProperty("assignee").GetString());
        var note = detail.GetProperty("timeline").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "incident.note_added");
        Assert.Equal("Rolled back 2.3.1", note.GetProperty("data").GetProperty("note").GetString());
    }

    [Theory]
    [InlineData("PUT", "severity", """{"severity":"apocalyptic","by":"a"}""", 400, "severity")]
    [InlineData("PUT", "assignee", """{"by":"a"}""", 400, "assignee")]
    [InlineData("POST", "notes", """{"text":"","by":"a"}""", 400, "text")]
    [InlineData("POST", "acknowledge", """{"by":""", 400, "JSON")]
    public async Task Bad_command_bodies_are_named_400s(string method, string path, string body, int status, string named)
    {
        var id = await OpenAsync();
        using var content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");

        using var response = await api.Client.SendAsync(new HttpRequestMessage(new HttpMethod(method), $"/api/v1/incidents/{id}/{path}") { Content = content });

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(named, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_on_an_unknown_incident_are_404()
    {
        var (status, _) = await DoAsync("inc_missing", "acknowledge");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }

    [Fact]
    public async Task The_list_filters_by_status_severity_and_service_and_pages_by_cursor_without_gaps_or_repeats()
    {
        var service = $"paging-{Guid.NewGuid():N}"[..20];
        var ids = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var summary = $"Paging alert {i}";
            ids.Add((await api.PostAsync(ApiFixture.Trigger($"page-{Guid.NewGuid():N}", summary: summary, severity: i % 2 == 0 ? "error" : "info", service: service))).GetProperty("incidentId").GetString()!);
        }

        await DoAsync(ids[0], "resolve");

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?status=all&service={service}&limit=3{(cursor is null ? "" : $"&cursor={cursor}")}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        // Grouping put same-service alerts of one name together; every incident appears exactly once.
        Assert.Equal(seen.Distinct().Count(), seen.Count);
        Assert.Equal(ids.Distinct().Order(), seen.Order());

        var resolved = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?status=resolved&service={service}");
        Assert.Equal(ids[0], Assert.Single(resolved.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var errors = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents?status=all&severity=error&service={service}");
        Assert.All(errors.GetProperty("items").EnumerateArray(), i => Assert.Equal("error", i.GetProperty("severity").GetString()));
        Assert.Equal(4, errors.GetProperty("items").GetArrayLength());
    }

    [Theory]
    [InlineData("status=sideways", "status")]
    [InlineData("severity=huge", "severity")]
    [InlineData("from=yesterday", "from")]
    [InlineData("limit=ten", "limit")]
    [InlineData("cursor=abc", "cursor")]
    [InlineData("from=2026-11-25T10:00:00Z&to=2026-11-24T10:00:00Z", "from")]
    public async Task Bad_list_queries_are_400_naming_the_parameter(string query, string field)
    {
        using var response = await api.Client.GetAsync($"/api/v1/incidents?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }
}
