using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentOps.Agents.Tests;

/// <summary>The causes responders confirm reach the case base the diagnosis reads, a corrected one too.</summary>
public class ConfirmedCaseSyncTests(AgentsFixture fixture) : IClassFixture<AgentsFixture>
{
    [Fact]
    public async Task A_cause_confirmed_again_differently_replaces_the_first_in_the_case_base_without_a_restart()
    {
        var services = fixture.Services();
        var sync = services.GetRequiredService<ConfirmedCaseSync>();
        var cases = services.GetRequiredService<CaseBase>();
        var confirmed = services.GetRequiredService<ConfirmedCases>();
        var id = await fixture.OpenIncidentAsync("billing-jobs retries piling up: READONLY You can't write against a read only replica", service: "billing-jobs");

        // Resolved with one cause; reopened, then resolved with the cause the postmortem found (the same incident, so the
        // number of confirmed incidents does not change).
        await confirmed.RecordAsync(new ConfirmedCase(id, "network_partition", "failover", "responder", DateTimeOffset.UtcNow));
        await sync.RefreshAsync(CancellationToken.None);
        Assert.True(cases.Has($"confirmed:{id}", "network_partition"));

        await confirmed.RecordAsync(new ConfirmedCase(id, "config_error", "revert_config", "responder", DateTimeOffset.UtcNow));
        await sync.RefreshAsync(CancellationToken.None);
        Assert.True(cases.Has($"confirmed:{id}", "config_error"), "the corrected cause is not in the case base");
        Assert.False(cases.Has($"confirmed:{id}", "network_partition"));
    }
}
