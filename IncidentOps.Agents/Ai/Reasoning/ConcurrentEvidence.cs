using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// What other services' incidents open in the same minutes say for each candidate cause (<see cref="ConcurrentIncidents"/>
/// chose them): the words and figures of their alerts and their services' changes shortly before, each scaled by how
/// strongly the incident is linked to this one and kept apart from this incident's own evidence, so the model weighs it
/// with weights of its own (a cause behind this incident, told where it sits). Pure.
/// </summary>
public static class ConcurrentEvidence
{
    private static readonly TimeSpan AfterStartTolerance = TimeSpan.FromMinutes(2);

    public static void Weigh(IReadOnlyDictionary<string, CategoryEvidence> evidence, Incident incident, IReadOnlyList<ConcurrentIncident> concurrent, DateTimeOffset now)
    {
        foreach (var other in concurrent)
        {
            var where = $"in incident {other.Incident.Id} on {other.Incident.Service} ({other.Why})";
            foreach (var (category, strength, said) in Words(other.Incident))
            {
                if (evidence.TryGetValue(category, out var entry) && other.Link * strength > entry.ConcurrentWords)
                {
                    entry.ConcurrentWords = other.Link * strength;
                    entry.Evidence.Add($"{where}: {said}");
                    Attribute(entry, other);
                }
            }

            var text = string.Join('\n', IncidentText.Sources(other.Incident).Select(s => IncidentText.WithIdentifiersAsWords(s.Text)));
            foreach (var (category, strength, said) in NumericEvidence.Find(text, now))
            {
                if (evidence.TryGetValue(category, out var entry) && other.Link * strength > entry.ConcurrentFigures)
                {
                    entry.ConcurrentFigures = other.Link * strength;
                    entry.Evidence.Add($"{where}: {said}");
                    Attribute(entry, other);
                }
            }

            foreach (var change in other.Changes.Where(c => c.At <= incident.OccurredAt + AfterStartTolerance && !HarmlessChanges.IsHarmless(c)))
            {
                var category = change.Kind switch
                {
                    "deploy" => "bad_deploy",
                    "config" or "feature_flag" => "config_error",
                    _ => null,
                };
                var strength = other.Link * ((incident.OccurredAt - change.At).TotalMinutes <= 60 ? 1.0 : 0.5);
                if (category is not null && evidence.TryGetValue(category, out var entry) && strength > entry.ConcurrentChange)
                {
                    entry.ConcurrentChange = strength;
                    entry.Evidence.Add($"{where}: {CauseEvidenceReader.DescribeChange(change, incident.OccurredAt)}");
                    Attribute(entry, other);
                }
            }

            // Only where neither this incident's own evidence nor a near case says a fix.
            foreach (var entry in evidence.Values.Where(e => e is { Remediation: null, RemediationSaid: null }))
            {
                if (RemediationEvidence.For(entry.Category, text) is var (remediation, said))
                {
                    entry.RemediationSaid = remediation;
                    entry.Evidence.Add($"{where}: {said}");
                }
            }
        }
    }

    /// <summary>The noisy-OR of each category's words over the incident's alerts (as the reader weighs its own), with what said them.</summary>
    private static IEnumerable<(string Category, double Strength, string Said)> Words(Incident incident)
    {
        var miss = new Dictionary<string, double>(StringComparer.Ordinal);
        var said = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var seen = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var (origin, text, weight, _) in IncidentText.Sources(incident))
        {
            foreach (var (rule, _, words) in IncidentCategories.Match(IncidentText.ForRules(text)))
            {
                var known = seen.TryGetValue(rule.Category, out var k) ? k : seen[rule.Category] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                var fresh = words.Where(known.Add).ToList();
                if (fresh.Count == 0)
                {
                    continue;
                }

                var m = miss.GetValueOrDefault(rule.Category, 1);
                foreach (var word in fresh)
                {
                    m *= 1 - (CauseEvidenceReader.TermStrength(rule, word) * weight * rule.Weight);
                }

                miss[rule.Category] = m;
                (said.TryGetValue(rule.Category, out var s) ? s : said[rule.Category] = []).Add($"{origin} mentions {string.Join(", ", fresh.Select(w => $"'{w}'"))}");
            }
        }

        return miss.Select(kv => (kv.Key, 1 - kv.Value, string.Join("; ", said[kv.Key].Take(2))));
    }

    /// <summary>Where the cause sits, when its evidence there outweighs this incident's own.</summary>
    private static void Attribute(CategoryEvidence entry, ConcurrentIncident other)
    {
        var there = Math.Max(entry.ConcurrentWords, Math.Max(entry.ConcurrentFigures, entry.ConcurrentChange));
        var here = Math.Max(entry.Words, Math.Max(entry.Figures, entry.RecentChange));
        if (there > here)
        {
            (entry.Service, entry.IncidentId) = (other.Incident.Service, other.Incident.Id);
        }
    }

    /// <summary>The strongest concurrent evidence of any cause (what makes "unknown" less likely).</summary>
    public static double Strongest(IEnumerable<CategoryEvidence> causes) =>
        causes.Select(c => Math.Max(c.ConcurrentWords, c.ConcurrentFigures)).DefaultIfEmpty(0).Max();
}
