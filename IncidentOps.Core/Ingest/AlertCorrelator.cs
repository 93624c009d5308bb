using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Core.Ingest;

/// <summary>
/// Puts an incoming alert where it belongs: the open incident that already has it (update), the open
/// incident of its group (join, with the reason in words), or a new incident (linked to the resolved one
/// that had it before: a resolved incident is never reused). Resolved alerts mark the alert resolved,
/// and the incident mitigated when none fires any more. Each decision commits atomically with its
/// events; a lost race is decided again on the fresh state.
/// </summary>
public sealed class AlertCorrelator(IncidentStore store, TimeProvider time, IOptions<CorrelationOptions> options)
{
    private const int MaxAttempts = 20;

    /// <param name="resolveIncidentWhenAllResolved">
    /// PagerDuty semantics (Events v2): the last alert resolving resolves the incident. Monitoring
    /// tools' resolutions only mitigate it; a person (or the quiet-period rule) resolves.
    /// </param>
    public async Task<IngestOutcome> IngestAsync(IncomingAlert alert, string? traceparent, bool resolveIncidentWhenAllResolved = false, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var dedupKey = RedisKeys.Dedup(alert.Source, alert.Fingerprint);
            var knownId = await store.FindAsync(dedupKey);
            var known = knownId is null ? null : await store.GetAsync(knownId);
            var now = time.GetUtcNow();

            var decision = alert.Status == AlertStatus.Resolved
                ? new AlertDecisions(alert, now).Resolve(dedupKey, known, resolveIncidentWhenAllResolved)
                : known is { IsOpen: true } && known.Alerts.Any(a => a.Source == alert.Source && a.DedupKey == alert.Fingerprint)
                    ? new AlertDecisions(alert, now).Update(dedupKey, known)
                    : await JoinOrOpenAsync(alert, dedupKey, knownId, known, now);

            if (decision.Change is null || (await store.CommitAsync(decision.Change, traceparent)).Committed)
            {
                return decision.Outcome;
            }
        }

        throw new InvalidOperationException($"Could not commit the alert after {MaxAttempts} attempts: too much contention on one incident.");
    }

    private async Task<Decision> JoinOrOpenAsync(IncomingAlert alert, string dedupKey, string? knownId, Incident? known, DateTimeOffset now)
    {
        var (groupKey, explicitGroup) = GroupKeyOf(alert, options.Value.GroupBy);
        var groupIndex = RedisKeys.Group(groupKey);
        var groupId = await store.FindAsync(groupIndex);
        var group = groupId is null ? null : await store.GetAsync(groupId);
        var window = TimeSpan.FromMinutes(options.Value.GroupWindowMinutes);
        var decisions = new AlertDecisions(alert, now);

        if (group is { IsOpen: true } && (explicitGroup || now - (group.LastAlertAt ?? group.DetectedAt) <= window))
        {
            var reason = (explicitGroup, options.Value.GroupBy) switch
            {
                (true, _) => $"same groupKey as the incident's other alerts ({groupKey})",
                (false, GroupingMode.Service) => $"same service ({alert.Service}) within {options.Value.GroupWindowMinutes} min",
                _ => $"same service and alert ({groupKey}) within {options.Value.GroupWindowMinutes} min",
            };
            return decisions.Join(dedupKey, knownId ?? string.Empty, groupIndex, group, reason);
        }

        return decisions.Open(dedupKey, knownId ?? string.Empty, groupIndex, groupId ?? string.Empty, groupKey, known);
    }

    /// <summary>
    /// The grouping key: by service alone in <see cref="GroupingMode.Service"/>; otherwise the source's own
    /// (Alertmanager groupKey), else service/component + alert name; a drill's own key for a drill.
    /// </summary>
    public static (string Key, bool Explicit) GroupKeyOf(IncomingAlert alert, GroupingMode mode = GroupingMode.Alert) =>
        // A drill's alerts form one incident of their own, whatever their sources and the grouping mode.
        alert.Drill && !string.IsNullOrWhiteSpace(alert.GroupKey) ? (alert.GroupKey, true)
        : mode == GroupingMode.Service ? ($"service:{alert.Service}".ToLowerInvariant(), false)
        : !string.IsNullOrWhiteSpace(alert.GroupKey)
            ? ($"{alert.Source}:{alert.GroupKey}", true)
            : ($"{alert.Service}/{alert.Component ?? "-"}/{alert.AlertName ?? alert.Summary}".ToLowerInvariant(), false);
}

internal sealed record Decision(IngestOutcome Outcome, IncidentChange? Change);
