using IncidentOps.Agents.Ai.Reasoning;

namespace IncidentOps.Agents.Tests;

/// <summary>A disk or inode figure is disk evidence when it says how full the storage is, not how much something grew.</summary>
public sealed class StorageFiguresTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-02T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("Filesystem /var/lib/postgresql at 97% used")]
    [InlineData("inodes used 99.2% on /data")]
    [InlineData("/data filesystem usage 96% (was 88% yesterday)")]
    [InlineData("volume usage up to 95%")]
    public void A_fill_level_of_ninety_percent_or_more_is_disk_evidence(string text) =>
        Assert.Contains(NumericEvidence.Find(text, Now), e => e.Category == "disk_full");

    [Theory]
    [InlineData("Traffic report: request volume +92% vs last Friday")] // a change in requests
    [InlineData("storage writes up 95% since the batch started")]
    [InlineData("disk %util 98% on nvme0n1")] // busy, not full
    public void A_change_or_a_busy_figure_is_not_disk_evidence(string text) =>
        Assert.DoesNotContain(NumericEvidence.Find(text, Now), e => e.Category == "disk_full");
}
