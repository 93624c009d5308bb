using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// The first fix read from the incident's own words (organic or abusive traffic, a store that lost its quorum): what a
/// responder sees as the plan's first step and in the hypothesis' evidence.
/// </summary>
public sealed class RemediationEvidenceTests
{
    [Theory]
    [InlineData("traffic_spike", "RequestCount 6x baseline; campaign utm_source=tv_summer_sale; bot score high 1.2%", "scale_out")]
    [InlineData("traffic_spike", "top client ASN AS16276 OVH SAS sends 52% of requests", "rate_limit")]
    [InlineData("traffic_spike", "login attempts 40x normal from 3 IPs", "rate_limit")]
    [InlineData("network_partition", "Redis Sentinel: quorum lost, +sdown master", "failover")]
    [InlineData("traffic_spike", "Client shopsync-prod at 1,020 rps (contract 50 rps)", "rate_limit")]
    [InlineData("traffic_spike", "18,400 rps (baseline 3,000). Distinct users 5m: 612k. Top client: our own iOS app 98%", "scale_out")]
    [InlineData("network_partition", "Galera split-brain after the uplink went down; no failover yet", "failover")]
    public void The_first_fix_follows_what_the_incident_itself_says(string category, string text, string remediation) =>
        Assert.Equal(remediation, RemediationEvidence.For(category, text)?.Remediation);

    [Theory]
    [InlineData("traffic_spike", "request rate 5x normal")]
    [InlineData("network_partition", "cross-zone packet loss 40% between eu-west-1a and eu-west-1b")]
    [InlineData("disk_full", "campaign quorum")]
    // A store that did not fail over (healthy, "no failover") is not the partition's fix: route around the cut-off zone.
    [InlineData("network_partition", "Aurora orders-aurora healthy: writer CPU 22%, no failover, connections 640")]
    [InlineData("network_partition", "errors in one zone; a database failover would not help")]
    public void Without_such_words_the_nearest_case_or_the_standard_fix_decides(string category, string text) =>
        Assert.Null(RemediationEvidence.For(category, text));
}
