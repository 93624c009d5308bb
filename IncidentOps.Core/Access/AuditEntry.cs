namespace IncidentOps.Core.Access;

/// <summary>Who made a request: a signed-in person, or an API key acting with its role. Never a secret.</summary>
public sealed record AuditActor(string? Subject, string? Name, string? Role, string? ApiKeyId)
{
    public static readonly AuditActor Anonymous = new(null, null, null, null);
}

/// <summary>
/// One line of the audit trail: who did what to which target, when, from where, in which trace, and how it ended.
/// <paramref name="Outcome"/> is the HTTP status for requests, or a word for events that are not requests.
/// </summary>
public sealed record AuditEntry(
    string Id,
    DateTimeOffset At,
    string Action,
    string? Target,
    AuditActor Actor,
    string Outcome,
    string? ClientIp,
    string? UserAgent,
    string? TraceId,
    string? Detail);

/// <summary>What to list from the audit trail: newest first, before a cursor, optionally filtered.</summary>
public sealed record AuditQuery(string? Before, int Limit, string? Subject, string? Action, string? Outcome);
