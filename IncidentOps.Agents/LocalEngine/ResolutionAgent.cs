using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

/// <summary>
/// An ordered plan: read-only diagnostics first, then the remediations for the leading hypothesis,
/// each marked approval-required so that nothing changes production without a person.
/// </summary>
public sealed class ResolutionAgent : IAgent
{
    private static readonly Dictionary<string, (string Remediation, string Title, string? Command)[]> Remediations = new()
    {
        ["bad_deploy"] = [("rollback", "Roll back to the previous release", "kubectl rollout undo deployment/{service}")],
        ["certificate_expiry"] = [("renew_certificate", "Renew and redeploy the certificate", "cmctl renew {service}-tls")],
        ["disk_full"] = [("free_disk_space", "Expand the volume or clear old data", null)],
        ["memory_leak"] = [("restart", "Restart the leaking pods one at a time", "kubectl rollout restart deployment/{service}")],
        ["dependency_outage"] = [("failover", "Fail over to the healthy replica of the dependency", null)],
        ["resource_exhaustion"] = [("scale_out", "Scale out the service", "kubectl scale deployment/{service} --replicas=+2")],
        ["traffic_spike"] = [("scale_out", "Scale out and enable rate limiting", "kubectl scale deployment/{service} --replicas=+2")],
        ["latency"] = [("scale_out", "Scale out the slow component", "kubectl scale deployment/{service} --replicas=+2")],
        ["error_rate"] = [("rollback", "Roll back the most recent change", "kubectl rollout undo deployment/{service}")],
    };

    public AgentPhase Phase => AgentPhase.Resolution;

    public async Task<object> RunAsync(AgentContext context, Func<int, string, Task> reportProgress, CancellationToken cancellationToken)
    {
        var incident = context.Incident;
        var diagnosis = context.ResultOf<DiagnosisResult>(AgentPhase.Diagnosis);
        await reportProgress(40, "Drafting diagnostic steps");

        var steps = new List<ResolutionStep>
        {
            new(1, $"Check the {incident.Service} dashboards and recent error logs", StepKind.ReadOnly,
                $"kubectl logs deployment/{incident.Service} --since=30m", "local engine: standard triage") { Remediation = "inspect" },
            new(2, "Review changes deployed in the last 24 hours", StepKind.ReadOnly, null, "local engine: standard triage") { Remediation = "inspect" },
        };

        await reportProgress(75, "Choosing remediation");
        var leading = diagnosis is { Unknown: false } ? diagnosis.Hypotheses[0].Category : null;
        if (leading is not null && Remediations.TryGetValue(leading, out var remediations))
        {
            steps.AddRange(remediations.Select((r, i) => new ResolutionStep(
                steps.Count + i + 1, r.Title, StepKind.ApprovalRequired, r.Command?.Replace("{service}", incident.Service, StringComparison.Ordinal),
                $"local engine: {leading.Replace('_', ' ')} playbook") { Remediation = r.Remediation }));
        }
        else
        {
            steps.Add(new(steps.Count + 1, "Escalate to the owning team: no confident diagnosis", StepKind.ReadOnly, null,
                diagnosis is null ? "local engine: diagnosis failed" : "local engine: diagnosis unknown") { Remediation = "escalate" });
        }

        return new ResolutionPlan(steps, leading is null
            ? "Triage steps only: the cause is not known yet."
            : $"Triage, then {steps[^1].Title.ToLowerInvariant()} (needs approval).");
    }
}
