using IncidentOps.Api.Hubs;

namespace IncidentOps.Api.Tests;

/// <summary>The lanes a frame is handed out in: all at once, each on its own thread, the pass over when every lane is.</summary>
public class HandoutLanesTests
{
    [Fact]
    public void Each_lane_runs_on_a_thread_of_its_own_at_the_same_time_and_the_pass_ends_when_all_have()
    {
        using var lanes = new HandoutLanes(3);
        for (var pass = 0; pass < 50; pass++)
        {
            var threads = new int[3];
            var finished = 0;
            // Every lane waits for the other two to have started: a pass that ran its lanes one after another never gets here.
            using var started = new CountdownEvent(3);
            lanes.Run(lane =>
            {
                threads[lane] = Environment.CurrentManagedThreadId;
                started.Signal();
                Assert.True(started.Wait(TimeSpan.FromSeconds(10)), "the lanes did not run at the same time");
                Interlocked.Increment(ref finished);
            });

            Assert.Equal(3, Volatile.Read(ref finished));
            Assert.Equal(Environment.CurrentManagedThreadId, threads[0]);
            Assert.Equal(3, threads.Distinct().Count());
        }
    }

    [Fact]
    public void A_lane_that_fails_fails_the_pass_and_the_next_pass_runs()
    {
        using var lanes = new HandoutLanes(2);
        var failure = Assert.Throws<AggregateException>(() => lanes.Run(lane =>
        {
            if (lane == 1)
            {
                throw new InvalidOperationException("lane 1 broke");
            }
        }));
        Assert.IsType<InvalidOperationException>(failure.InnerException);

        var ran = 0;
        lanes.Run(_ => Interlocked.Increment(ref ran));
        Assert.Equal(2, ran);
    }
}
