namespace IncidentOps.Api.Model;

/// <summary>Body of acknowledge / mitigate / resolve / close / reopen: who does it, and why.</summary>
public sealed record TransitionRequest(string? By, string? Reason);

public sealed record SeverityRequest(string? Severity, string? By, string? Reason);

public sealed record AssignRequest(string? Assignee, string? By);

public sealed record NoteRequest(string? Text, string? By);

public sealed record IncidentChangedResponse(IncidentOps.Core.Events.IncidentSummary Incident);
