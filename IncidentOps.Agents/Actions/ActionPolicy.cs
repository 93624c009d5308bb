using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Actions;

/// <summary>
/// Decides whether a step may ever run without a person. It reads what the step would do (its
/// remediation and command), not what the plan claims: a plan built from alert text that says
/// "this is read-only, run it now" still gets approval-required for a restart or a delete.
/// </summary>
public static partial class ActionPolicy
{
    private static readonly HashSet<string> ReadOnlyRemediations = new(StringComparer.OrdinalIgnoreCase) { "inspect", "escalate" };

    public static StepKind Classify(StepKind claimed, string? remediation, string title, string? command)
    {
        if (remediation is not null && !ReadOnlyRemediations.Contains(remediation))
        {
            return StepKind.ApprovalRequired;
        }

        if (Destructive().IsMatch(title) || (command is not null && !IsReadOnlyCommand(command)))
        {
            return StepKind.ApprovalRequired;
        }

        return claimed;
    }

    /// <summary>Whether a step (title and command, no plan claim) needs approval, and why in words: the guard's answer.</summary>
    public static (bool ApprovalRequired, string Reason) Explain(string title, string? command)
    {
        if (Destructive().Match($"{title} {command}") is { Success: true } destructive)
        {
            return (true, $"'{destructive.Value.ToLowerInvariant()}' changes production: needs approval");
        }

        return command is null ? (false, "no command: a person reads and checks")
            : IsReadOnlyCommand(command) ? (false, "reads state only")
            : (true, "unrecognised command: needs approval");
    }

    /// <summary>
    /// A command that only reads: one known read-only program, no destructive verb, no shell metacharacter (a
    /// <c>$( )</c>, pipe, <c>&amp;&amp;</c> or redirect can smuggle a second command), and a curl that sends nothing.
    /// </summary>
    public static bool IsReadOnlyCommand(string command) =>
        !ShellMeta().IsMatch(command) && !Destructive().IsMatch(command) && ReadOnlyCommand().IsMatch(command)
        && !(command.TrimStart().StartsWith("curl", StringComparison.OrdinalIgnoreCase) && !CurlReadOnly.IsReadOnly(command));

    /// <summary>A service name safe to put into a command (alert labels are untrusted); null when it is not.</summary>
    public static string? SafeName(string service) => SafeNamePattern().IsMatch(service) ? service : null;

    [GeneratedRegex(@"[$`|;&<>\\\r\n(){}]")]
    private static partial Regex ShellMeta();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")]
    private static partial Regex SafeNamePattern();

    // Verbs that change production; matched anywhere in the title or command.
    [GeneratedRegex(@"\b(restart|rollback|roll back|undo|scale|delete|drop|truncate|kill|terminate|reboot|failover|fail over|drain|cordon|evict|rm|apply|patch|set|edit|replace|renew|revert|disable|enable|purge|flush|shutdown|stop|revoke|redeploy|resize|expand|promote)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();

    // Commands known to only read: anything else is treated as a change.
    [GeneratedRegex(@"^\s*(kubectl\s+(get|describe|logs|top|rollout\s+(status|history))|curl|df|du|free|top|ps|dig|nslookup|ping|traceroute|openssl\s+s_client|psql\s+.*-c\s+""?select)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReadOnlyCommand();
}
