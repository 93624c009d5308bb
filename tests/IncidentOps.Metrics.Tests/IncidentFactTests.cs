using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using static IncidentOps.Metrics.Tests.Facts;

namespace IncidentOps.Metrics.Tests;

public class IncidentFactTests
{
    private static Alert Alert(string id, Severity severity, DateTimeOffset at) =>
        new(id, "test", id, id, AlertStatus.Firing, "s", severity, "checkout", null, null, null, at, at.AddSeconds(5), at, 1, null);

    private static Incident Incident(params Alert[] alerts) => new(
        "inc_1", "t", IncidentStatus.Resolved, Severity.Critical, "checkout", "k", Now.AddMinutes(-30), Now.AddMinutes(-28),
        Now.AddMinutes(-25), Now.AddMinutes(-5), alerts, 3) { PreviousIncidentId = "inc_0" };

    [Fact]
    public void A_fact_takes_the_first_alert_the_most_severe_alert_and_the_lifecycle_times()
    {
        var incident = Incident(Alert("later", Severity.Critical, Now.AddMinutes(-20)), Alert("first", Severity.Warning, Now.AddMinutes(-30)));

        var fact = IncidentFact.From(incident, preventionCandidate: true, planProposed: false);

        Assert.Equal(Severity.Warning, fact.FirstSeverity);
        Assert.Equal(Severity.Critical, fact.MaxAlertSeverity);
        Assert.True(fact.Escalated);
        Assert.Equal(Ms(Now.AddMinutes(-30)), fact.FirstAlertMs);
        Assert.Equal(Ms(Now.AddMinutes(-28)), fact.DetectedMs);
        Assert.Equal(Ms(Now.AddMinutes(-25)), fact.AcknowledgedMs);
        Assert.Equal(Ms(Now.AddMinutes(-5)), fact.ResolvedMs);
        Assert.Equal("inc_0", fact.PreviousIncidentId);
    }

    [Theory]
    [InlineData(true, AgentState.Completed, true)]
    [InlineData(false, AgentState.Completed, false)]
    [InlineData(true, AgentState.Processing, null)]
    public void The_prevention_flag_is_read_from_a_completed_prediction_result(bool flag, AgentState state, bool? expected)
    {
        var run = new AgentRun(AgentPhase.Prediction, state, 100, null, Now, Now, 1,
            OpsJson.ToElement(new { escalationProbability = 0.7, preventionCandidate = flag }), null);

        Assert.Equal(expected, IncidentFact.PreventionFlag(new Dictionary<AgentPhase, AgentRun> { [AgentPhase.Prediction] = run }));
        Assert.Null(IncidentFact.PreventionFlag(new Dictionary<AgentPhase, AgentRun>()));
    }

    [Fact]
    public void Packed_rows_read_back_what_was_written_and_empty_slots_are_skipped()
    {
        var open = Fact("open", 10, null, candidate: null);
        var row = Fact("x", 100, 42.5, acknowledgedAfter: 3, candidate: true, plan: true).ToRow(slot: 1, serviceIndex: 0, previousSlot: -1);
        var data = new byte[3 * FactRow.Size];
        row.WriteTo(data.AsSpan(FactRow.Size));
        open.ToRow(2, 0, 1).WriteTo(data.AsSpan(2 * FactRow.Size));

        var table = FactTable.Decode(data, ["checkout"]);

        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(row, table.Rows[0]);
        Assert.True(table.Rows[0].PreventionCandidate);
        Assert.True(table.Rows[0].PlanProposed);
        Assert.Null(table.Rows[1].PreventionCandidate);
        Assert.Null(table.Rows[1].ResolvedMs);
        Assert.Equal([false, true, false], table.Recurred());
    }
}
