using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Ingest;

/// <summary>Turns a validated Events v2 event into the source-neutral <see cref="IncomingAlert"/>.</summary>
public static class AlertNormaliser
{
    public const string GenericSource = "events";

    private static readonly Dictionary<string, string> NoLabels = [];

    /// <summary>
    /// The dedup key: the sender's <c>dedup_key</c> when given; otherwise a fingerprint of what
    /// identifies the problem (source, component, class, summary), so a tool that re-sends the same
    /// alert without a key still lands on one alert. Not the routing key: it may be the ingest token, and
    /// a hash of it beside public fields is an offline guessing oracle (it also split alerts on rotation).
    /// </summary>
    public static string DedupKeyFor(ValidEvent evt)
    {
        if (!string.IsNullOrWhiteSpace(evt.DedupKey))
        {
            return evt.DedupKey;
        }

        var p = evt.Payload ?? throw new ArgumentException("A trigger without dedup_key needs a payload.", nameof(evt));
        return "fp_" + IncomingAlert.Hash(string.Join('\u001f', p.Source, p.Component, p.Class, p.Summary))[..32];
    }

    public static IncomingAlert ToIncoming(ValidEvent evt)
    {
        if (evt.Action != EventAction.Trigger)
        {
            // acknowledge / resolve name the alert by its dedup key only.
            return new IncomingAlert(GenericSource, evt.DedupKey!, AlertStatus.Resolved, string.Empty, Severity.Info, string.Empty,
                null, null, null, null, null, NoLabels, NoLabels, null, null);
        }

        var p = evt.Payload ?? throw new ArgumentException("A trigger needs a payload.", nameof(evt));
        return new IncomingAlert(
            GenericSource, DedupKeyFor(evt), AlertStatus.Firing, p.Summary!.Trim(), evt.Severity ?? Severity.Error, p.Source!.Trim(),
            p.Component, p.Class, GroupKey: null, evt.Timestamp, EndsAt: null, NoLabels, NoLabels, null, p.CustomDetails?.Clone())
        {
            Group = p.Group,
            Class = p.Class,
        };
    }
}
