using System.Diagnostics;
using IncidentOps.Api.Hubs;

namespace IncidentOps.Api.Tests;

/// <summary>The handout's hold on a long thread-pool queue: until it drains to the limit, never past the pass's deadline.</summary>
public class PoolBacklogTests
{
    [Fact]
    public void A_lane_waits_while_the_queue_is_over_the_limit_and_goes_on_once_it_has_drained_to_it()
    {
        var queue = new Queue<long>([900, 700, 500, 256, 40]);
        var looks = 0;
        var backlog = new PoolBacklog(256, () =>
        {
            looks++;
            return queue.Dequeue();
        });

        Assert.True(backlog.WaitBelow(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30)));
        Assert.Equal(4, looks); // 900, 700, 500 over the limit; 256 is at it
        Assert.False(backlog.WaitBelow(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30))); // 40: no wait at all
    }

    [Fact]
    public void A_queue_that_never_drains_holds_the_pass_only_until_its_deadline()
    {
        var backlog = new PoolBacklog(256, () => 100_000);
        var clock = Stopwatch.StartNew();

        Assert.True(backlog.WaitBelow(Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(80)));

        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(80), TimeSpan.FromSeconds(10));
        clock.Restart();
        Assert.True(backlog.WaitBelow(Stopwatch.GetTimestamp(), TimeSpan.FromMilliseconds(-1))); // a budget already spent: it looks, and goes on
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_limit_of_zero_never_holds_the_handout_back()
    {
        var looks = 0;
        var backlog = new PoolBacklog(0, () => ++looks * 100_000L);

        Assert.False(backlog.WaitBelow(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(30)));
        Assert.Equal(0, looks);
    }
}
