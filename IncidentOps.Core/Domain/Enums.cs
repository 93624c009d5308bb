namespace IncidentOps.Core.Domain;

/// <summary>One severity scale for every source, ordered from least to most severe.</summary>
public enum Severity
{
    Info = 0,
    Warning = 1,
    Error = 2,
    Critical = 3,
}

/// <summary>triggered → acknowledged → mitigated → resolved → closed, with reopen (see <see cref="IncidentLifecycle"/>).</summary>
public enum IncidentStatus
{
    Triggered,
    Acknowledged,
    Mitigated,
    Resolved,
    Closed,
}

public enum AlertStatus
{
    Firing,
    Resolved,
}

/// <summary>The four agents, in the order the pipeline runs them.</summary>
public enum AgentPhase
{
    Detection,
    Diagnosis,
    Prediction,
    Resolution,
}

public enum AgentState
{
    Pending,
    Initializing,
    Processing,
    Completed,
    Failed,
}
