using IncidentOps.Api.Hubs;

namespace IncidentOps.Api.Tests;

public class FrameCadenceTests
{
    private static readonly HubLimitOptions Defaults = new() { FrameWritesPerSecond = 10_000 };

    [Theory]
    [InlineData(1, 20)] // a few screens: every batch window, as before
    [InlineData(200, 20)] // 200 writes per frame: 50 frames/s would be 10,000 writes/s, the budget
    [InlineData(1_000, 100)]
    [InlineData(2_000, 200)]
    [InlineData(4_000, 400)]
    [InlineData(5_000, 400)] // the budget would space them 500 ms: capped, a frame at least every 400 ms
    public void Frames_are_spaced_so_the_writes_per_second_stay_within_the_budget(int subscribers, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), FrameCadence.MinInterval(subscribers, Defaults));

    [Fact]
    public void No_budget_leaves_the_batch_window_alone()
    {
        var off = new HubLimitOptions(); // the default: no budget
        Assert.Equal(TimeSpan.FromMilliseconds(off.BatchMilliseconds), FrameCadence.MinInterval(5_000, off));
    }

    [Fact]
    public void The_wait_is_what_is_left_of_the_interval_since_the_last_frame()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(150), FrameCadence.Wait(2_000, TimeSpan.FromMilliseconds(50), Defaults));
        Assert.Equal(TimeSpan.Zero, FrameCadence.Wait(2_000, TimeSpan.FromMilliseconds(250), Defaults));
        // The previous frame took longer to reach everyone than the interval: the next one is not delayed further.
        Assert.Equal(TimeSpan.Zero, FrameCadence.Wait(5_000, TimeSpan.FromSeconds(2), Defaults));
    }

    [Fact]
    public void A_cap_below_the_batch_window_does_not_undercut_it()
    {
        var options = new HubLimitOptions { FrameWritesPerSecond = 10_000, BatchMilliseconds = 50, MaxFrameIntervalMilliseconds = 10 };
        Assert.Equal(TimeSpan.FromMilliseconds(50), FrameCadence.MinInterval(5_000, options));
    }
}
