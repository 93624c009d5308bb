using System.Text;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Drills;
using IncidentOps.Core.Storage;

namespace IncidentOps.Agents.Phases.Diagnosis;

/// <summary>
/// Reads the other services' incidents open in the same minutes as an incident (<see cref="ConcurrentIncidents"/> chooses
/// them and says how each is linked) with their services' recent changes: what the diagnosis weighs beside the incident's
/// own evidence. Bounded for a storm: <see cref="ConcurrentIncidents.MaxLookedAt"/> documents looked at, then at most
/// <see cref="ConcurrentIncidents.MaxRead"/> incidents read, <see cref="ConcurrentIncidents.MaxAlerts"/> alerts each.
/// </summary>
public sealed class ConcurrentIncidentReader(IncidentStore store, ChangeLog changes)
{
    public async Task<IReadOnlyList<ConcurrentIncident>> ReadAsync(Incident incident)
    {
        if (incident.Drill)
        {
            return [];
        }

        var window = ConcurrentIncidents.Window;
        var open = await store.OpenBetweenAsync(incident.DetectedAt - window, incident.DetectedAt + window, ConcurrentIncidents.MaxLookedAt, AgentPhase.Detection);
        var read = new List<ConcurrentIncident>();
        foreach (var candidate in ConcurrentIncidents.Candidates(incident, open.Select(o => o.Incident)))
        {
            if (await store.GetAsync(candidate.Id, ConcurrentIncidents.MaxAlerts) is not { Alerts.Count: > 0 } other)
            {
                continue;
            }

            var (link, why) = ConcurrentIncidents.Link(incident, other);
            var recent = DrillAlerts.VisibleTo(other,
                await changes.BetweenAsync(other.Service, incident.OccurredAt - CauseEvidenceReader.ChangeWindow, other.LastAlertAt ?? other.DetectedAt));
            read.Add(new ConcurrentIncident(other, link, why, recent));
        }

        return ConcurrentIncidents.Weighed(read);
    }

    /// <summary>What the diagnosis read of them (which incidents, which alerts in what words): a new alert there re-runs it, a repeat does not.</summary>
    public static string Digest(IReadOnlyList<ConcurrentIncident> concurrent)
    {
        var text = new StringBuilder();
        foreach (var other in concurrent.OrderBy(c => c.Incident.Id, StringComparer.Ordinal))
        {
            text.Append(other.Incident.Id).Append('@').Append(other.Link).Append('[');
            foreach (var alert in other.Incident.Alerts.OrderBy(a => a.Id, StringComparer.Ordinal))
            {
                text.Append(alert.Id).Append(':').Append(alert.ContentHash).Append(';');
            }

            text.Append(']');
        }

        return text.ToString();
    }
}
