using IncidentOps.Core.Domain;
using IncidentOps.Metrics.Figures;

namespace IncidentOps.Metrics.Tests;

public class MetricsCalculatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    internal static Incident Incident(string id, double? resolvedAfterMinutes, IncidentStatus? status = null) => new(
        id, "t", status ?? (resolvedAfterMinutes is null ? IncidentStatus.Triggered : IncidentStatus.Resolved), Severity.Error, "svc", id,
        T0, T0, null, resolvedAfterMinutes is { } m ? T0.AddMinutes(m) : null, [], 1);

    [Fact]
    public void MTTR_is_the_mean_of_resolved_durations_with_its_t_interval_and_open_incidents_are_counted_apart()
    {
        var calculator = new MetricsCalculator(TimeProvider.System);

        var snapshot = calculator.Compute(
        [
            Incident("a", 10), Incident("b", 20), Incident("c", 30), Incident("d", 40),
            Incident("open-1", null), Incident("open-2", null, IncidentStatus.Acknowledged),
        ]);

        Assert.Equal(4, snapshot.IncidentsHandled);
        Assert.Equal(2, snapshot.IncidentsOpen);
        Assert.Equal(4, snapshot.Mttr.SampleSize);
        Assert.Equal(25, snapshot.Mttr.MeanMinutes);
        // Hand computation: 25 ± 3.182446 · 12.9099/2 = [4.457, 45.543]
        Assert.Equal(4.457, snapshot.Mttr.CiLowMinutes!.Value, 3);
        Assert.Equal(45.543, snapshot.Mttr.CiHighMinutes!.Value, 3);
        Assert.Contains("resolvedAt − detectedAt", snapshot.Mttr.Definition, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_resolved_incidents_there_is_no_MTTR_rather_than_zero()
    {
        var snapshot = new MetricsCalculator(TimeProvider.System).Compute([Incident("open", null)]);

        Assert.Equal(0, snapshot.Mttr.SampleSize);
        Assert.Null(snapshot.Mttr.MeanMinutes);
        Assert.Null(snapshot.Mttr.CiLowMinutes);
    }
}
