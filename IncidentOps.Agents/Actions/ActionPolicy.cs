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

        if (Destructive().IsMatch(title) || (command is not null && (Destructive().IsMatch(command) || !ReadOnlyCommand().IsMatch(command))))
        {
            return StepKind.ApprovalRequired;
        }

        return claimed;
    }

    // Verbs that change production; matched anywhere in the title or command.
    [GeneratedRegex(@"\b(restart|rollback|roll back|undo|scale|delete|drop|truncate|kill|terminate|reboot|failover|fail over|drain|cordon|evict|rm|apply|patch|set|edit|replace|renew|revert|disable|enable|purge|flush|shutdown|stop)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Destructive();

    // Commands known to only read: anything else is treated as a change.
    [GeneratedRegex(@"^\s*(kubectl\s+(get|describe|logs|top|rollout\s+(status|history))|curl\s+(-s\s+)?(-X\s*GET\s+)?https?://|df|du|free|top|ps|dig|nslookup|ping|traceroute|openssl\s+s_client|psql\s+.*-c\s+""?select)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReadOnlyCommand();
}
