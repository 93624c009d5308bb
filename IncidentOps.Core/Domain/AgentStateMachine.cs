namespace IncidentOps.Core.Domain;

/// <summary>
/// The legal moves of an agent: Pending → Initializing → Processing (repeatable, with progress)
/// → Completed | Failed. A failed run may start again (a retry). A completed one starts again only
/// when what it read changed (new alerts: a re-analysis); the pipeline decides that from the run's
/// input digest, which is what lets a resumed pipeline skip the phases it already finished.
/// </summary>
public static class AgentStateMachine
{
    public static bool CanMove(AgentState from, AgentState to) => (from, to) switch
    {
        (AgentState.Pending, AgentState.Initializing) => true,
        (AgentState.Initializing, AgentState.Processing) => true,
        (AgentState.Initializing, AgentState.Failed) => true,
        (AgentState.Processing, AgentState.Processing) => true,
        (AgentState.Processing, AgentState.Completed) => true,
        (AgentState.Processing, AgentState.Failed) => true,
        (AgentState.Failed, AgentState.Initializing) => true,
        (AgentState.Completed, AgentState.Initializing) => true,
        // A worker that died mid-phase left Initializing/Processing behind: the next worker restarts the phase.
        (AgentState.Initializing, AgentState.Initializing) => true,
        (AgentState.Processing, AgentState.Initializing) => true,
        _ => false,
    };

    public static AgentRun Move(AgentRun run, AgentState to, int progress, DateTimeOffset now, string? message = null)
    {
        if (!CanMove(run.State, to))
        {
            throw new InvalidOperationException($"Agent {run.Phase} cannot move from {run.State} to {to}.");
        }

        var clamped = Math.Clamp(progress, 0, 100);
        return to switch
        {
            AgentState.Initializing => run with
            {
                State = to, Progress = 0, Message = message, StartedAt = now, FinishedAt = null,
                Attempt = run.Attempt + 1, Error = null,
            },
            AgentState.Processing => run with { State = to, Progress = Math.Max(run.Progress, clamped), Message = message ?? run.Message },
            AgentState.Completed => run with { State = to, Progress = 100, Message = message ?? run.Message, FinishedAt = now },
            AgentState.Failed => run with { State = to, Message = message ?? run.Message, FinishedAt = now, Error = message },
            _ => throw new InvalidOperationException($"Agent {run.Phase} cannot move to {to}."),
        };
    }
}
