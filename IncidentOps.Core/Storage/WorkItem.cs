namespace IncidentOps.Core.Storage;

/// <summary>An entry of <c>agents:work</c>: analyse this incident.</summary>
public sealed record WorkItem(string IncidentId, string Reason, DateTimeOffset At);
