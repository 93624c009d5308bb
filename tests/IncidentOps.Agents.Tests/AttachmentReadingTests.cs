using System.Text;
using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace IncidentOps.Agents.Tests;

public class AttachmentReadingTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task An_attached_log_is_read_and_the_diagnosis_is_redone_with_what_it_says()
    {
        await using var worker = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Testing")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", fixture.Redis.ConnectionString));
        _ = worker.Server;
        var id = await fixture.OpenIncidentAsync("Orders API requests failing", service: "orders-att");
        await Eventually.TrueAsync(async () => (await fixture.Store.GetRunsAsync(id)).Values.Count(r => r.State == AgentState.Completed) == 4, Deadline, "the first analysis");
        var before = await fixture.Store.GetRunsAsync(id);
        Assert.NotEqual("database_contention", Categories(before[AgentPhase.Diagnosis]).FirstOrDefault());

        var store = new AttachmentStore(fixture.Redis.Connection, fixture.Log, TimeProvider.System);
        var log = "2026-11-26 09:12:03 UTC ERROR: deadlock detected\nDETAIL: Process 55102 waits for ShareLock on transaction 9182734; blocked by process 55019.\n"
            + "LOG: 87 sessions waiting on locks; blocking pid 55019 idle in transaction for 47 min";
        var attachment = await store.AddAsync(id, "orders-db.log", "text/plain", Encoding.UTF8.GetBytes(log), "maria", null);

        var read = await Eventually.ValueAsync(async () => await store.GetAsync(id, attachment.Id) is { ExtractedAt: not null } a ? a : null, Deadline, "the attachment read");
        Assert.Equal(("local", 3), (read.Engine, read.Lines));
        var diagnosis = await Eventually.ValueAsync(
            async () => (await fixture.Store.GetRunsAsync(id))[AgentPhase.Diagnosis] is { State: AgentState.Completed, Attempt: 2 } run ? run : null, Deadline, "the diagnosis redone");
        Assert.Equal("database_contention", Categories(diagnosis)[0]);
        Assert.Contains(diagnosis.Result!.Value.GetProperty("hypotheses")[0].GetProperty("evidence").EnumerateArray(),
            e => e.GetString()!.StartsWith("attachment 'orders-db.log' mentions", StringComparison.Ordinal));
        // Detection does not read attachments: not redone.
        Assert.Equal(1, (await fixture.Store.GetRunsAsync(id))[AgentPhase.Detection].Attempt);
    }

    private static List<string?> Categories(AgentRun diagnosis) =>
        [.. diagnosis.Result!.Value.GetProperty("hypotheses").EnumerateArray().Select(h => h.GetProperty("category").GetString())];
}
