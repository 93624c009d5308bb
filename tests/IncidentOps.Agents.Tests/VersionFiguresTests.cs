using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

/// <summary>
/// Versions compared in figures, whatever the tool: the new release at twice the old one's errors or latency (or half
/// its throughput) is the deploy's doing; both versions alike say a deploy shortly before is a bystander.
/// </summary>
public sealed class VersionFiguresTests
{
    [Theory]
    [InlineData("{\"error_rate_by_version\": {\"7.2.4\": 0.011, \"7.3.0\": 0.058}}", 1)]
    [InlineData("{\"p99_ms\": {\"v5.11.4 (last 24h)\": 3.1, \"v5.12.0\": 19.4}}", 1)]
    [InlineData("{\"exceptions\": {\"4.18.0\": 2311, \"4.17.3\": 0}}", 1)]
    [InlineData("{\"P95(duration_ms)\": {\"9.0.2\": 1740, \"9.0.3\": 1760}}", -1)]
    [InlineData("{\"p99 new at equal load ms\": 182, \"p99 old at equal load ms\": 179}", -1)]
    [InlineData("{\"canary error ratio\": 0.4, \"stable error ratio\": 0.05}", 1)]
    public void Figures_keyed_by_version_say_whether_the_versions_differ(string text, int verdict) =>
        Assert.Equal(verdict, NumericEvidence.VersionsCompared(text)?.Verdict);

    [Theory]
    [InlineData("{\"9.0.2\": 1740}")] // one version: nothing to compare
    [InlineData("{\"p99\": 1740, \"p50\": 120}")] // figures, but not keyed by version
    [InlineData("{\"7.2.4\": 0.30, \"7.3.0\": 0.45}")] // between alike and different: undecided
    [InlineData("upgraded from 7.2.4 to 7.3.0; p99 1.2 s")] // versions named in words, no figures beside them
    public void Without_two_versions_side_by_side_in_figures_nothing_is_said(string text) =>
        Assert.Null(NumericEvidence.VersionsCompared(text));
}
