using IncidentOps.Core.Domain;
using IncidentOps.Metrics.Figures;
using static IncidentOps.Metrics.Tests.Facts;

namespace IncidentOps.Metrics.Tests;

public class MetricsCalculatorTests
{
    private static MetricsCalculator Calculator() => new(new FixedTime(Now), Facts.Calculator());

    [Fact]
    public void MTTR_is_the_mean_of_resolved_durations_with_its_t_interval_and_open_incidents_are_counted_apart()
    {
        var closed = Fact("d", 100, 40) with { Status = IncidentStatus.Closed };

        var snapshot = Calculator().Compute(
        [
            Fact("a", 100, 10), Fact("b", 100, 20), Fact("c", 100, 30), closed,
            Fact("open-1", 100, null), Fact("open-2", 100, null) with { Status = IncidentStatus.Acknowledged },
        ]);

        Assert.Equal(4, snapshot.IncidentsHandled);
        Assert.Equal(2, snapshot.IncidentsOpen);
        Assert.Equal(4, snapshot.Mttr.SampleSize);
        Assert.Equal(25, snapshot.Mttr.MeanMinutes);
        // Hand computation: 25 ± 3.182446 · 12.9099/2 = [4.457, 45.543]
        Assert.Equal(4.457, snapshot.Mttr.CiLowMinutes!.Value, 3);
        Assert.Equal(45.543, snapshot.Mttr.CiHighMinutes!.Value, 3);
        Assert.Contains("resolvedAt − detectedAt", snapshot.Mttr.Definition, StringComparison.Ordinal);
        Assert.Equal(25, snapshot.Business!.Mttr.MeanMinutes);
    }

    [Fact]
    public void With_no_resolved_incidents_there_is_no_MTTR_rather_than_zero()
    {
        var snapshot = Calculator().Compute([Fact("open", 10, null)]);

        Assert.Equal(0, snapshot.Mttr.SampleSize);
        Assert.Null(snapshot.Mttr.MeanMinutes);
        Assert.Null(snapshot.Mttr.CiLowMinutes);
        Assert.Null(snapshot.Business!.Mttr.MeanMinutes);
    }
}
