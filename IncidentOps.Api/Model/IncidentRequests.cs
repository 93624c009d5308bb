namespace IncidentOps.Api.Model;

/// <summary>Body of acknowledge / mitigate / resolve / close / reopen: why. Who is the signed-in identity, never the body.</summary>
public sealed record TransitionRequest(string? Reason);

/// <summary>
/// Body of resolve: why, and optionally what the cause really was (a diagnosis category) and the fix that worked (a
/// remediation). A confirmed cause joins the diagnosis' case base; the fix joins the fix history of that category.
/// </summary>
public sealed record ResolveRequest(string? Reason, string? Cause, string? Fix);

public sealed record SeverityRequest(string? Severity, string? Reason);

public sealed record AssignRequest(string? Assignee);

public sealed record NoteRequest(string? Text);

public sealed record IncidentChangedResponse(IncidentOps.Core.Events.IncidentSummary Incident);
