using System.Security.Cryptography;
using System.Text;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Pipeline;

/// <summary>
/// What each phase reads, as a digest. A phase whose inputs are unchanged since it last finished is
/// not run again: that is how a resumed run skips finished phases, and how new alerts re-run only the
/// phases they affect (a repeat of a known alert changes detection and prediction, not the diagnosis).
/// </summary>
public static class PhaseInputs
{
    /// <param name="attachments">What the diagnosis reads of the incident's attached documents (see <c>AttachmentEvidence.Digest</c>).</param>
    /// <param name="concurrent">What the diagnosis reads of other services' incidents open in the same minutes (see <c>ConcurrentIncidentReader.Digest</c>).</param>
    public static string Digest(AgentPhase phase, Incident incident, IReadOnlyDictionary<AgentPhase, AgentRun> runs, string? attachments = null, string? concurrent = null)
    {
        var text = new StringBuilder();
        switch (phase)
        {
            case AgentPhase.Detection:
                // Urgency reads the alert count and rate, the severity and the firing set.
                text.Append(incident.Severity).Append('|');
                foreach (var alert in incident.Alerts.OrderBy(a => a.Id, StringComparer.Ordinal))
                {
                    text.Append(alert.Id).Append(':').Append(alert.ContentHash).Append(':').Append(alert.Status).Append(':').Append(alert.Occurrences).Append(';');
                }

                break;
            case AgentPhase.Diagnosis:
                // The cause is read from what the alerts and attached documents say, not from how often alerts repeat.
                foreach (var alert in incident.Alerts.OrderBy(a => a.Id, StringComparer.Ordinal))
                {
                    text.Append(alert.Id).Append(':').Append(alert.ContentHash).Append(';');
                }

                if (!string.IsNullOrEmpty(attachments))
                {
                    text.Append("|attachments=").Append(attachments);
                }

                if (!string.IsNullOrEmpty(concurrent))
                {
                    text.Append("|concurrent=").Append(concurrent);
                }

                break;
            case AgentPhase.Prediction:
                text.Append(incident.Severity).Append('|').Append(incident.Alerts.Count(a => a.Status == AlertStatus.Firing));
                break;
            case AgentPhase.Resolution:
                text.Append(incident.Service);
                break;
        }

        foreach (var earlier in runs.Values.Where(r => ReadsConclusionOf(phase, r.Phase) && r.State == AgentState.Completed).OrderBy(r => r.Phase))
        {
            text.Append('|').Append(earlier.Phase).Append('=').Append(earlier.Result?.GetRawText());
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 12);
    }

    /// <summary>Which earlier conclusions a phase builds on: prediction on detection and diagnosis, resolution on diagnosis.</summary>
    public static bool ReadsConclusionOf(AgentPhase phase, AgentPhase earlier) => (phase, earlier) switch
    {
        (AgentPhase.Prediction, AgentPhase.Detection or AgentPhase.Diagnosis) => true,
        (AgentPhase.Resolution, AgentPhase.Diagnosis) => true,
        _ => false,
    };
}
