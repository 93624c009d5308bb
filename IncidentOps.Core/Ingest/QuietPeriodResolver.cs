using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using Microsoft.Extensions.Options;

namespace IncidentOps.Core.Ingest;

/// <summary>
/// Resolves mitigated incidents whose alerts stayed quiet for <see cref="CorrelationOptions.AutoResolveAfterMinutes"/>
/// (off when 0). Safe to run on every replica: a second resolve of the same incident is refused by the lifecycle.
/// </summary>
public sealed class QuietPeriodResolver(IncidentStore store, IncidentCommands commands, TimeProvider time, IOptions<CorrelationOptions> options)
{
    public const string Actor = "auto-resolve";

    /// <summary>One pass; returns the ids it resolved.</summary>
    public async Task<IReadOnlyList<string>> SweepAsync(CancellationToken cancellationToken)
    {
        var quiet = TimeSpan.FromMinutes(options.Value.AutoResolveAfterMinutes);
        if (quiet <= TimeSpan.Zero)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var (open, _) = await store.QueryAsync(new IncidentQuery(new HashSet<IncidentStatus> { IncidentStatus.Mitigated }, null, null, null, null, null, 1000));
        var resolved = new List<string>();
        foreach (var summary in open)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var incident = await store.GetAsync(summary.Id);
            var quietSince = incident is null ? (DateTimeOffset?)null : new[] { incident.MitigatedAt, incident.LastAlertAt }.Max();
            if (incident is { Status: IncidentStatus.Mitigated } && incident.Alerts.All(a => a.Status == AlertStatus.Resolved) && now - quietSince >= quiet)
            {
                var result = await commands.ApplyAsync(incident.Id, IncidentAction.Resolve, Actor,
                    $"no alert fired for {options.Value.AutoResolveAfterMinutes} min after mitigation", traceparent: null);
                if (result.Status == CommandStatus.Done)
                {
                    resolved.Add(incident.Id);
                }
            }
        }

        return resolved;
    }
}
