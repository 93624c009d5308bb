namespace IncidentOps.Api.Model;

/// <summary>Body of acknowledge / mitigate / resolve / close / reopen: why. Who is the signed-in identity, never the body.</summary>
public sealed record TransitionRequest(string? Reason);

public sealed record SeverityRequest(string? Severity, string? Reason);

public sealed record AssignRequest(string? Assignee);

public sealed record NoteRequest(string? Text);

public sealed record IncidentChangedResponse(IncidentOps.Core.Events.IncidentSummary Incident);
