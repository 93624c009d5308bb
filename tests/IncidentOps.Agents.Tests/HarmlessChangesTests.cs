using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Tests;

/// <summary>A change that says it only touches logging or customer text is a bystander; one that touches behaviour is a suspect.</summary>
public sealed class HarmlessChangesTests
{
    [Theory]
    [InlineData("trafficserver logging.yaml: add crid field to squid format on fra1")]
    [InlineData("Synced orbit-planner 2.4.1 (structured JSON logging)")]
    [InlineData("Set logger com.ibm.mq to INFO (was WARN) via jboss-cli")]
    [InlineData("Key 'Logging:LogLevel:Default' changed")]
    [InlineData("fix typo in email template")]
    public void A_change_of_logging_or_text_alone_is_a_bystander(string summary) =>
        Assert.True(HarmlessChanges.IsHarmless(Change(summary)));

    [Theory]
    [InlineData("Deployed checkout 3.2.0 (connection pool 20 -> 5)")]
    [InlineData("feature flag new-pricing-engine on for 100%")]
    [InlineData("Synced catalog 1.4.0 (blogging widget)")]
    public void A_change_of_behaviour_is_a_suspect(string summary) =>
        Assert.False(HarmlessChanges.IsHarmless(Change(summary)));

    private static ChangeEvent Change(string summary) => new("chg_1", "svc", summary, "argocd", "deploy", DateTimeOffset.UtcNow, null);
}
