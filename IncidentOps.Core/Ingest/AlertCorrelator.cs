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

    // Alerts of one group (so mostly of one incident) are decided one at a time in this process: in a storm, concurrent
    // alerts of one incident otherwise each read, lose the version race to a sibling and retry, up to MaxAttempts and a 500.
    // Striped (a fixed array, not a lock per key) so memory stays bounded; other replicas still meet the version check.
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 256).Select(_ => new SemaphoreSlim(1, 1))];

    /// <param name="resolveIncidentWhenAllResolved">
    /// PagerDuty semantics (Events v2): the last alert resolving resolves the incident. Monitoring
    /// tools' resolutions only mitigate it; a person (or the quiet-period rule) resolves.
    /// </param>
    public async Task<IngestOutcome> IngestAsync(IncomingAlert alert, string? traceparent, bool resolveIncidentWhenAllResolved = false, CancellationToken cancellationToken = default)
    {
        var dedupKey = RedisKeys.Dedup(alert.Source, alert.Fingerprint);
        var (groupKey, explicitGroup) = GroupKeyOf(alert, options.Value.GroupBy);
        var groupIndex = RedisKeys.Group(groupKey);
        var alertId = alert.AlertId;
        // A resolve names only its dedup key (Events v2): it carries no group to share a stripe by.
        var stripeKey = alert.Status == AlertStatus.Resolved ? dedupKey : groupKey;
        var stripe = _stripes[(int)((uint)StringComparer.Ordinal.GetHashCode(stripeKey) % (uint)_stripes.Length)];
        await stripe.WaitAsync(cancellationToken);
        try
        {
            return await DecideAndCommitAsync(alert, traceparent, resolveIncidentWhenAllResolved, dedupKey, groupKey, explicitGroup, groupIndex, alertId, cancellationToken);
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<IngestOutcome> DecideAndCommitAsync(
        IncomingAlert alert, string? traceparent, bool resolveIncidentWhenAllResolved, string dedupKey, string groupKey, bool explicitGroup,
        string groupIndex, string alertId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            // One round trip for what the decision needs: each incident's document and only this alert of it, not all of them.
            var context = await store.ReadForAlertAsync(dedupKey, groupIndex, alertId);
            var (knownId, known) = (context.KnownId, context.Known);
            var now = time.GetUtcNow();
            var holdsIt = known is { IsOpen: true } && known.Alerts.Any(a => a.Source == alert.Source && a.DedupKey == alert.Fingerprint);
            if (holdsIt && !known!.HoldsAllAlerts && AlertDecisions.MayLowerSeverity(known, alert))
            {
                // The incident's severity is the highest of its alerts': when the alert that may hold it lowers, count them all.
                known = await store.GetAsync(knownId!) ?? known;
            }

            var decision = alert.Status == AlertStatus.Resolved
                ? new AlertDecisions(alert, now).Resolve(dedupKey, known, resolveIncidentWhenAllResolved)
                : holdsIt
                    ? new AlertDecisions(alert, now).Update(dedupKey, known!)
                    : JoinOrOpen(alert, dedupKey, knownId, known, groupKey, explicitGroup, groupIndex, context, now);

            if (decision.Change is null || (await store.CommitAsync(decision.Change, traceparent)).Committed)
            {
                return decision.Outcome;
            }
        }

        throw new InvalidOperationException($"Could not commit the alert after {MaxAttempts} attempts: too much contention on one incident.");
    }

    private Decision JoinOrOpen(
        IncomingAlert alert, string dedupKey, string? knownId, Incident? known, string groupKey, bool explicitGroup, string groupIndex, AlertContext context, DateTimeOffset now)
    {
        var (groupId, group) = (context.GroupId, context.Group);
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
