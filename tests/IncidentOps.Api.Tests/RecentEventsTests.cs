using IncidentOps.Api.Hubs;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using static IncidentOps.Api.Tests.OpsFrameTests;

namespace IncidentOps.Api.Tests;

/// <summary>The events the hub keeps for the connections that have not had them, and the frames built from them.</summary>
public class RecentEventsTests
{
    [Fact]
    public void Each_connection_is_handed_everything_since_its_own_cursor_until_it_is_further_behind_than_is_kept()
    {
        var recent = new RecentEvents(maxEvents: 4, maxFrameBytes: 30_000);
        recent.Start(StreamId.Parse("1-0"));
        recent.Append([Agent("2-0", "inc_a", "detection", "initializing"), Incident("2-1", EventTypes.IncidentOpened, "inc_b", "b")]);
        var before = recent.Current!;
        recent.Append([Incident("3-0", EventTypes.IncidentOpened, "inc_c", "c")]);
        var now = recent.Current!;

        Assert.Equal(StreamId.Parse("3-0"), recent.Head);
        var sinceStart = now.FramesAfter(StreamId.Parse("1-0"))!;
        Assert.Equal(["2-0", "2-1", "3-0"], sinceStart.SelectMany(f => f.Events).Select(e => e.Id));
        Assert.Same(sinceStart, now.FramesAfter(StreamId.Parse("1-0"))); // one build for every connection at that cursor
        Assert.Equal(["3-0"], now.FramesAfter(StreamId.Parse("2-1"))!.SelectMany(f => f.Events).Select(e => e.Id));
        Assert.Empty(now.FramesAfter(StreamId.Parse("3-0"))!);
        // A lane still holding the earlier snapshot hands out what it held, unchanged by the append.
        Assert.Equal(["2-0", "2-1"], before.FramesAfter(StreamId.Parse("1-0"))!.SelectMany(f => f.Events).Select(e => e.Id));

        // Every subscription has 2-1: what is before goes, and a cursor before what went can no longer be served.
        recent.Trim(StreamId.Parse("2-1"));
        Assert.Single(recent.Current!.Events);
        Assert.Null(recent.Current.FramesAfter(StreamId.Parse("2-0")));
        Assert.Equal(["3-0"], recent.Current.FramesAfter(StreamId.Parse("2-1"))!.SelectMany(f => f.Events).Select(e => e.Id));

        // Past the limit the oldest go even though a subscription still needs them: it is told to resync.
        recent.Append([.. Enumerable.Range(0, 5).Select(i => Incident($"4-{i}", EventTypes.IncidentOpened, $"inc_{i}", "x"))]);
        recent.Trim(StreamId.Parse("2-1"));
        Assert.Equal(4, recent.Current.Events.Length);
        Assert.Null(recent.Current.FramesAfter(StreamId.Parse("2-1")));
        Assert.Equal(["4-1", "4-2", "4-3", "4-4"], recent.Current.FramesAfter(StreamId.Parse("4-0"))!.SelectMany(f => f.Events).Select(e => e.Id));
    }
}
