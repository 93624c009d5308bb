using System.Text.RegularExpressions;
using IncidentOps.Agents.Actions;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Phases.Resolution;

/// <summary>One remediation a plan can propose: its id, what a person reads, and the command when there is a standard one.</summary>
public sealed record Remediation(string Id, string Title, string? Command);

/// <summary>
/// The first remediation to propose for a diagnosis, as an SRE would pick it: the category's standard fix,
/// changed by what the evidence says (a leak that started with a deploy is rolled back; the fix the learned first-fix
/// model chose from the incident's words, or where it has none for the cause, the fix the incident's own evidence
/// says or the nearest labelled case's; traffic from one client or bots is rate-limited, not scaled for) and by what
/// has worked for this kind of incident before.
/// </summary>
public static partial class RemediationChoice
{
    private static readonly Remediation Rollback = new("rollback", "Roll back to the previous release", "kubectl rollout undo deployment/{service}");
    private static readonly Remediation ScaleOut = new("scale_out", "Scale out the service", "kubectl scale deployment/{service} --replicas=+2");
    private static readonly Remediation RateLimit = new("rate_limit", "Rate-limit or block the offending clients at the edge", null);
    private static readonly Remediation Restart = new("restart", "Restart the affected pods one at a time", "kubectl rollout restart deployment/{service}");

    private static readonly Dictionary<string, Remediation> Standard = new()
    {
        ["bad_deploy"] = Rollback,
        ["config_error"] = new("revert_config", "Revert the most recent configuration change", null),
        ["certificate_expiry"] = new("renew_certificate", "Renew and redeploy the certificate", "cmctl renew {service}-tls"),
        ["disk_full"] = new("free_disk_space", "Free space: remove what fills the volume (old logs, WAL, retention) or expand it", null),
        ["memory_leak"] = Restart,
        ["database_contention"] = new("kill_blocking_queries", "Terminate the blocking sessions (pg_terminate_backend / KILL) after capturing them", null),
        ["network_partition"] = new("reroute_traffic", "Drain the unreachable zone and route traffic to the healthy ones", null),
        ["dependency_outage"] = new("failover", "Fail over to the healthy replica or secondary provider of the dependency", null),
        ["resource_exhaustion"] = ScaleOut,
        ["traffic_spike"] = ScaleOut,
        ["latency"] = ScaleOut,
        ["error_rate"] = Rollback,
    };

    private static readonly Dictionary<string, Remediation> ById = Standard.Values.Concat([RateLimit]).DistinctBy(r => r.Id).ToDictionary(r => r.Id);

    /// <summary>The remediations to propose, first choice first; empty when the category has none.</summary>
    public static IReadOnlyList<Remediation> For(DiagnosisResult diagnosis)
    {
        if (diagnosis is not { Unknown: false, Hypotheses: [var leading, ..] } || !Standard.TryGetValue(leading.Category, out var standard))
        {
            return [];
        }

        // What the incident itself says (a labelled case's text is not the incident's evidence of abuse).
        var evidence = string.Join('\n', leading.Evidence.Where(e => !e.StartsWith("reads like", StringComparison.Ordinal)));
        var first = (leading.Category, standard) switch
        {
            // A leak that started with a deploy is rolled back, unless the leaking processes are older than the changes read.
            ("memory_leak", _) when diagnosis.RecentChanges.Any(c => c.StartsWith("deploy of", StringComparison.Ordinal) && !c.EndsWith(HarmlessChanges.Bystander, StringComparison.Ordinal))
                && !leading.Evidence.Any(e => e.StartsWith(RemediationEvidence.LeakOlderThanChanges, StringComparison.Ordinal)) => Rollback,
            // The learned first-fix model's choice (RemediationModel), or for a cause it has no fixes for, the fix the
            // incident's own evidence points to (a store that lost its quorum), else the nearest labelled case's.
            _ when leading.SuggestedRemediation is { } suggested && ById.TryGetValue(suggested, out var fromCase) => fromCase,
            ("traffic_spike", _) when AbusiveTraffic().IsMatch(evidence) => RateLimit,
            _ => standard,
        };

        // A fix that has worked for this kind of incident at least three times, mostly, goes first.
        var proven = diagnosis.PastFixes
            .Where(f => f is { Tried: >= 3, SuccessRate: >= 0.6 } && ById.ContainsKey(f.Remediation))
            .OrderByDescending(f => f.SuccessRate).Select(f => ById[f.Remediation]).FirstOrDefault();
        return [.. new[] { proven, first, standard }.OfType<Remediation>().DistinctBy(r => r.Id)];
    }

    public static ResolutionStep Step(Remediation remediation, int order, string service, string source) =>
        new(order, remediation.Title, StepKind.ApprovalRequired, CommandFor(remediation.Command, service), source)
        {
            Remediation = remediation.Id,
        };

    /// <summary>
    /// A command template with the service filled in, or null when the service name (from untrusted alert labels) is
    /// not a plain name: the step then names what to do without a command to paste.
    /// </summary>
    public static string? CommandFor(string? template, string service) =>
        template is null || ActionPolicy.SafeName(service) is not { } safe ? null : template.Replace("{service}", safe, StringComparison.Ordinal);

    // One client, bots or an attack: more capacity feeds the abuse; limiting it is the fix.
    [GeneratedRegex(@"\b(bot[s]?|scraper|crawler|credential stuffing|ddos|abuse\w*|api[_ ]key|single client|one client|top client|login attempts|brute[- ]force)\b", RegexOptions.IgnoreCase)]
    private static partial Regex AbusiveTraffic();
}
