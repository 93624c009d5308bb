using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Tests;

public class AgentStateMachineTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_run_goes_through_initializing_processing_completed()
    {
        var run = AgentRun.NotStarted(AgentPhase.Diagnosis);

        run = AgentStateMachine.Move(run, AgentState.Initializing, 0, Now);
        run = AgentStateMachine.Move(run, AgentState.Processing, 40, Now);
        run = AgentStateMachine.Move(run, AgentState.Processing, 80, Now);
        run = AgentStateMachine.Move(run, AgentState.Completed, 0, Now.AddSeconds(2));

        Assert.Equal(AgentState.Completed, run.State);
        Assert.Equal(100, run.Progress);
        Assert.Equal(1, run.Attempt);
        Assert.Equal(Now, run.StartedAt);
        Assert.Equal(Now.AddSeconds(2), run.FinishedAt);
    }

    [Fact]
    public void Progress_never_goes_backwards_and_stays_within_0_to_100()
    {
        var run = AgentStateMachine.Move(AgentRun.NotStarted(AgentPhase.Detection), AgentState.Initializing, 0, Now);
        run = AgentStateMachine.Move(run, AgentState.Processing, 70, Now);
        run = AgentStateMachine.Move(run, AgentState.Processing, 30, Now);
        Assert.Equal(70, run.Progress);

        run = AgentStateMachine.Move(run, AgentState.Processing, 250, Now);
        Assert.Equal(100, run.Progress);
    }

    [Theory]
    [InlineData(AgentState.Pending, AgentState.Completed)]
    [InlineData(AgentState.Pending, AgentState.Processing)]
    [InlineData(AgentState.Completed, AgentState.Failed)]
    [InlineData(AgentState.Completed, AgentState.Processing)]
    [InlineData(AgentState.Initializing, AgentState.Completed)]
    public void Illegal_moves_are_refused(AgentState from, AgentState to)
    {
        var run = AgentRun.NotStarted(AgentPhase.Prediction) with { State = from };

        Assert.False(AgentStateMachine.CanMove(from, to));
        Assert.Throws<InvalidOperationException>(() => AgentStateMachine.Move(run, to, 0, Now));
    }

    [Fact]
    public void A_completed_run_can_start_again_for_a_re_analysis_and_counts_the_attempt()
    {
        var run = AgentStateMachine.Move(AgentRun.NotStarted(AgentPhase.Detection), AgentState.Initializing, 0, Now);
        run = AgentStateMachine.Move(run, AgentState.Processing, 50, Now);
        run = AgentStateMachine.Move(run, AgentState.Completed, 100, Now);

        run = AgentStateMachine.Move(run, AgentState.Initializing, 0, Now.AddMinutes(1), "new alerts");

        Assert.Equal((AgentState.Initializing, 0, 2, (DateTimeOffset?)null), (run.State, run.Progress, run.Attempt, run.FinishedAt));
    }

    [Fact]
    public void A_failed_run_can_be_retried_and_counts_its_attempts()
    {
        var run = AgentStateMachine.Move(AgentRun.NotStarted(AgentPhase.Resolution), AgentState.Initializing, 0, Now);
        run = AgentStateMachine.Move(run, AgentState.Processing, 50, Now);
        run = AgentStateMachine.Move(run, AgentState.Failed, 50, Now, "model timed out");
        Assert.Equal("model timed out", run.Error);

        run = AgentStateMachine.Move(run, AgentState.Initializing, 0, Now);

        Assert.Equal(2, run.Attempt);
        Assert.Null(run.Error);
        Assert.Equal(0, run.Progress);
    }
}
