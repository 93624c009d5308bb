using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;

namespace IncidentOps.Api.Tests;

public class ActionsApiTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private ActionStore Actions => new(api.Redis.Connection, TimeProvider.System);

    /// <summary>An incident with a plan of one read-only and one approval-required step, as the agents would propose it.</summary>
    private async Task<(string Incident, string ReadOnly, string Restart)> ProposedAsync()
    {
        var id = (await api.PostAsync(ApiFixture.Trigger($"act-{Guid.NewGuid():N}", "Orders pods OOMKilled"))).GetProperty("incidentId").GetString()!;
        var now = DateTimeOffset.UtcNow;
        ProposedAction[] plan =
        [
            new($"act_{Guid.NewGuid():N}"[..16], id, 1, "Read the pod logs", StepKind.ReadOnly, "inspect", "kubectl logs deployment/orders", "runbook: oom.md", "manual", ActionState.AwaitingApproval, now),
            new($"act_{Guid.NewGuid():N}"[..16], id, 2, "Restart the leaking pods", StepKind.ApprovalRequired, "restart", "kubectl rollout restart deployment/orders", "runbook: oom.md", "manual", ActionState.AwaitingApproval, now) { Category = "memory_leak" },
        ];
        await Actions.ProposeAsync(id, plan, _ => false, null);
        return (id, plan[0].Id, plan[1].Id);
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> DecideAsync(string id, string actionId, string verb, object body)
    {
        using var response = await api.Client.PostAsJsonAsync($"/api/v1/incidents/{id}/actions/{actionId}/{verb}", body);
        return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
    }

    [Fact]
    public async Task Approving_records_who_and_why_emits_an_event_and_queues_the_action_for_its_executor()
    {
        var (id, _, restart) = await ProposedAsync();
        var workBefore = await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork);

        var (status, body) = await DecideAsync(id, restart, "approve", new { by = "maria", reason = "memory at 98%, restart before it falls over" });

        Assert.Equal(HttpStatusCode.OK, status);
        var action = body.GetProperty("action");
        // The body says maria; the signed-in identity is recorded.
        Assert.Equal(("approved", "Ada Admin"), (action.GetProperty("state").GetString(), action.GetProperty("decidedBy").GetString()));
        var detail = await api.Client.GetFromJsonAsync<JsonElement>($"/api/v1/incidents/{id}");
        var stored = detail.GetProperty("actions").EnumerateArray().Single(a => a.GetProperty("id").GetString() == restart);
        Assert.Equal("memory at 98%, restart before it falls over", stored.GetProperty("decisionReason").GetString());
        Assert.Contains(detail.GetProperty("timeline").EnumerateArray(), e => e.GetProperty("type").GetString() == "action.approved");

        Assert.Equal(workBefore + 1, await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork));
        var work = await api.Redis.Db.StreamRangeAsync(RedisKeys.AgentsWork, "-", "+", 1, StackExchange.Redis.Order.Descending);
        var item = JsonDocument.Parse(work[0]["work"].ToString()).RootElement;
        Assert.Equal((id, restart), (item.GetProperty("incidentId").GetString(), item.GetProperty("actionId").GetString()));
    }

    [Fact]
    public async Task Rejecting_queues_nothing_and_a_second_decision_is_a_409_naming_the_state()
    {
        var (id, readOnly, _) = await ProposedAsync();
        var workBefore = await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork);

        var (status, body) = await DecideAsync(id, readOnly, "reject", new { by = "sam", reason = "already looked" });
        Assert.Equal((HttpStatusCode.OK, "rejected"), (status, body.GetProperty("action").GetProperty("state").GetString()));
        Assert.Equal(workBefore, await api.Redis.Db.StreamLengthAsync(RedisKeys.AgentsWork));

        var (again, problem) = await DecideAsync(id, readOnly, "approve", new { by = "sam" });
        Assert.Equal(HttpStatusCode.Conflict, again);
        Assert.Contains("rejected", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_approval_queue_lists_what_waits_for_a_person_across_incidents_until_it_is_decided()
    {
        var (first, _, restart) = await ProposedAsync();
        var (second, readOnly, _) = await ProposedAsync();

        var queue = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/actions/awaiting-approval?limit=1000");
        var waiting = queue.GetProperty("items").EnumerateArray().Select(a => (a.GetProperty("incidentId").GetString(), a.GetProperty("id").GetString())).ToList();
        Assert.Contains((first, restart), waiting);
        Assert.Contains((second, readOnly), waiting);
        Assert.False(string.IsNullOrEmpty(queue.GetProperty("lastEventId").GetString()));

        await DecideAsync(first, restart, "approve", new { by = "maria" });
        await DecideAsync(second, readOnly, "reject", new { by = "maria" });

        var after = await api.Client.GetFromJsonAsync<JsonElement>("/api/v1/actions/awaiting-approval?limit=1000");
        var left = after.GetProperty("items").EnumerateArray().Select(a => a.GetProperty("id").GetString()).ToList();
        Assert.DoesNotContain(restart, left);
        Assert.DoesNotContain(readOnly, left);
        using var bad = await api.Client.GetAsync("/api/v1/actions/awaiting-approval?limit=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task Bad_decisions_are_4xx_problems_naming_what_is_wrong_and_change_nothing()
    {
        var (id, _, restart) = await ProposedAsync();

        var (tooLong, p1) = await DecideAsync(id, restart, "approve", new { reason = new string('r', 4001) });
        var (unknownAction, p2) = await DecideAsync(id, "act_nope", "approve", new { by = "x" });
        var (unknownIncident, p3) = await DecideAsync("inc_nope", restart, "approve", new { by = "x" });
        using var notJson = await api.Client.PostAsync($"/api/v1/incidents/{id}/actions/{restart}/approve", new StringContent("{by:", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal((HttpStatusCode.BadRequest, "reason"), (tooLong, p1.GetProperty("field").GetString()));
        Assert.Equal(HttpStatusCode.NotFound, unknownAction);
        Assert.Contains("act_nope", p2.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownIncident);
        Assert.Contains("inc_nope", p3.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(ActionState.AwaitingApproval, (await Actions.GetAsync(id, restart))!.State);
    }
}
