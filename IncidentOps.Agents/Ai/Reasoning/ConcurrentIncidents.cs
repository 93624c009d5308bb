using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// Another service's open incident read beside this one, as an on-call engineer paged for <c>checkout</c> reads the
/// <c>patroni-main</c> incident paging in the same minutes: its alerts (at most <see cref="ConcurrentIncidents.MaxAlerts"/>)
/// and its service's recent changes, with how strongly it is linked to this incident (<see cref="Link"/>, 0..1) and why.
/// </summary>
public sealed record ConcurrentIncident(Incident Incident, double Link, string Why, IReadOnlyList<ChangeEvent> Changes);

/// <summary>
/// Which other incidents the diagnosis reads, and how strongly each is linked: decisions without I/O, shared by the
/// worker (<c>ConcurrentIncidentReader</c>) and the training corpus, so the model is fitted on what the worker sees.
/// </summary>
public static partial class ConcurrentIncidents
{
    /// <summary>Begun this near this incident's first alert (either side): the same minutes, not the same afternoon.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    /// <summary>
    /// At most this many incidents read whole (linked ones first, then the nearest in time), and this many alerts of each:
    /// a storm has hundreds of open incidents holding thousands of alerts, and reading them all made every analysis
    /// slower as the storm went on (see <c>DetectionAgent.RelatedAsync</c>).
    /// </summary>
    public const int MaxRead = 5;

    public const int MaxAlerts = 20;

    /// <summary>How many open incidents' documents (no alerts) are looked at to choose the ones read.</summary>
    public const int MaxLookedAt = 50;

    /// <summary>
    /// An incident only open in the same minutes (no name, host or component shared) counts this much of a linked one. Set
    /// by hand, not fitted: in the scenarios every other incident belongs to the same story, so the corpus cannot say how
    /// often an unrelated one pages in the same minutes (in production, often: a storm, another team's deploy).
    /// </summary>
    public const double Unlinked = 0.25;

    private static readonly string[] SharedLabels = ["host", "hostname", "instance", "node", "server", "database", "db", "datname", "cluster", "peer", "upstream", "target"];

    /// <summary>
    /// The open incidents of other services worth reading beside <paramref name="incident"/>: begun within
    /// <see cref="Window"/> of it; those whose service this incident's alerts name first, then the nearest in time.
    /// A drill is never read beside a real incident, nor a real one beside a drill. One service split in two by a provider
    /// suffix ("driver-app-bff@consulcatalog" beside "driver-app-bff") is two incidents, read as other services.
    /// </summary>
    public static IReadOnlyList<Incident> Candidates(Incident incident, IEnumerable<Incident> others)
    {
        if (incident.Drill)
        {
            return [];
        }

        var text = TextOf(incident);
        return [.. others
            .Where(o => o.Id != incident.Id && o.IsOpen && !o.Drill && !string.Equals(o.Service, incident.Service, StringComparison.OrdinalIgnoreCase)
                && (o.OccurredAt - incident.OccurredAt).Duration() <= Window)
            .OrderByDescending(o => Names(text, o.Service))
            .ThenBy(o => (o.OccurredAt - incident.OccurredAt).Duration())
            .ThenBy(o => o.Id, StringComparer.Ordinal)
            .Take(MaxRead)];
    }

    /// <summary>
    /// How strongly <paramref name="other"/> is linked to <paramref name="incident"/>: 1 when either's alerts name the
    /// other's service, or they share a host, instance, node, database or cluster label or a component; else
    /// <see cref="Unlinked"/> (open in the same minutes, nothing more).
    /// </summary>
    public static (double Link, string Why) Link(Incident incident, Incident other)
    {
        if (Names(TextOf(incident), other.Service))
        {
            return (1, $"{Base(other.Service)} is named in this incident's alerts");
        }

        if (Names(TextOf(other), incident.Service))
        {
            return (1, $"its alerts name {Base(incident.Service)}");
        }

        foreach (var label in SharedLabels)
        {
            var mine = incident.Alerts.Select(a => a.Labels.GetValueOrDefault(label)).OfType<string>().Where(v => v.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (other.Alerts.Select(a => a.Labels.GetValueOrDefault(label)).FirstOrDefault(v => v is not null && mine.Contains(v)) is { } value)
            {
                return (1, $"shares {label} {value}");
            }
        }

        var components = incident.Alerts.Select(a => a.Component).OfType<string>().Where(c => c.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return other.Alerts.Select(a => a.Component).FirstOrDefault(c => c is not null && components.Contains(c)) is { } component
            ? (1, $"shares component {component}")
            : (Unlinked, "open in the same minutes");
    }

    /// <summary>
    /// The incidents read, as weighed: only the linked ones when there are any (an engineer who sees the dependency the
    /// page names paging reads that one, not the others paging in the same minutes), else all of them.
    /// </summary>
    public static IReadOnlyList<ConcurrentIncident> Weighed(IReadOnlyList<ConcurrentIncident> read) =>
        read.Any(c => c.Link >= 1) ? [.. read.Where(c => c.Link >= 1)] : read;

    /// <summary>The alert text a name is looked for in.</summary>
    private static string TextOf(Incident incident) => string.Join('\n', IncidentText.Sources(incident).Select(s => s.Text));

    /// <summary>The text names the service as a word of its own ("patroni-main" in "lock waits on patroni-main:5432").</summary>
    private static bool Names(string text, string service)
    {
        var name = Base(service);
        if (name.Length < 4)
        {
            return false;
        }

        for (var at = text.IndexOf(name, StringComparison.OrdinalIgnoreCase); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var end = at + name.Length;
            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && (end == text.Length || !char.IsLetterOrDigit(text[end])))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A service name without a provider suffix: Traefik's "driver-app-bff@consulcatalog" is "driver-app-bff".</summary>
    private static string Base(string service) => ProviderSuffix().Replace(service, string.Empty);

    [GeneratedRegex(@"@[A-Za-z0-9_.-]+$")]
    private static partial Regex ProviderSuffix();
}
