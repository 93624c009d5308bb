using System.Globalization;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// Reads an incident into <see cref="CauseEvidence"/>, each piece naming what supports it:
/// <list type="bullet">
/// <item>words: the category rules over alert names (split into words), summaries, annotations, labels, details and
/// metric names, weighed by where they sit (what an alert says counts more than what a component or label is called),
/// and again over the first alert alone;</item>
/// <item>figures: certificate dates against now, disk and inode percentages (<see cref="NumericEvidence"/>);</item>
/// <item>meaning: the nearest labelled case of each category by sentence embedding (<see cref="CaseBase"/>, which holds
/// the responders' confirmed cases too), so an incident told in a vocabulary the rules never saw still finds its kind;</item>
/// <item>changes: a deploy or config change of the service shortly before the first alert, and apart from them, those of
/// the services its alerts name (<see cref="NamedServices"/>);</item>
/// <item>other services' incidents open in the same minutes (<see cref="ConcurrentEvidence"/>): their alerts and changes,
/// kept apart from this incident's own, scaled by how strongly each is linked to it.</item>
/// </list>
/// The words, figures and changes are decisions without I/O; the embedding runs in process.
/// </summary>
public sealed class CauseEvidenceReader(CaseBase cases)
{
    /// <summary>How far before the first alert a change still counts as a suspect: the changes the diagnosis reads.</summary>
    public static readonly TimeSpan ChangeWindow = TimeSpan.FromHours(3);

    /// <summary>A case this near lends its usual first fix to the category.</summary>
    private const double RemediationSimilarity = 0.45;

    /// <summary>Below this a nearest case is not worth naming as evidence (it still counts as a feature).</summary>
    private const double CitedSimilarity = 0.4;

    private static readonly TimeSpan AfterStartTolerance = TimeSpan.FromMinutes(2);

    /// <summary>How much one term says for its category: a strong (specific) term far more than a weak one.</summary>
    public static double TermStrength(CategoryRule rule, string word) => rule.Strong.IsMatch(word) ? 0.45 : 0.12;

    public CauseEvidence Read(Incident incident, IReadOnlyList<ChangeEvent> changes, DateTimeOffset now, IReadOnlyList<ConcurrentIncident> concurrent)
    {
        var evidence = CauseEvidence.Categories.ToDictionary(c => c, c => new CategoryEvidence(c), StringComparer.Ordinal);
        var all = new Dictionary<string, WordTally>(StringComparer.Ordinal);
        // Each source's identifiers spelled as words once: the rules read it with zero counts blanked, the figures whole.
        var sources = IncidentText.Sources(incident).Select(s => (s.Origin, Text: IncidentText.WithIdentifiersAsWords(s.Text), s.Weight, s.First)).ToList();
        foreach (var (origin, text, weight, first) in sources)
        {
            foreach (var (rule, _, words) in IncidentCategories.Match(IncidentText.WithoutZeroCounts(text)))
            {
                var acc = all.TryGetValue(rule.Category, out var a) ? a : all[rule.Category] = new WordTally();
                var fresh = words.Where(acc.Words.Add).ToList();
                foreach (var word in fresh)
                {
                    acc.Miss *= 1 - (TermStrength(rule, word) * weight * rule.Weight);
                }

                foreach (var word in first ? words.Where(acc.FirstWords.Add) : [])
                {
                    acc.FirstMiss *= 1 - (TermStrength(rule, word) * weight * rule.Weight);
                }

                if (fresh.Count > 0 && evidence.TryGetValue(rule.Category, out var entry))
                {
                    entry.Evidence.Add($"{origin} mentions {string.Join(", ", fresh.Select(w => $"'{w}'"))}");
                }
            }
        }

        foreach (var (category, acc) in all)
        {
            if (evidence.TryGetValue(category, out var entry) && IncidentCategories.Find(category) is { } rule)
            {
                (entry.Words, entry.FirstAlertWords, entry.StrongTerms) = (1 - acc.Miss, 1 - acc.FirstMiss, acc.Words.Count(w => rule.Strong.IsMatch(w)));
            }
        }

        var allText = string.Join('\n', sources.Select(s => s.Text));
        foreach (var (category, strength, said) in NumericEvidence.Find(allText, now))
        {
            var entry = evidence[category];
            entry.Figures = 1 - ((1 - entry.Figures) * (1 - strength));
            entry.Evidence.Add(said);
        }

        var semantic = IncidentText.Semantic(incident);
        var (nearest, prototypes, embedding) = cases.Compare(semantic);
        foreach (var (category, similarity) in prototypes)
        {
            if (evidence.TryGetValue(category, out var entry))
            {
                entry.Prototype = similarity;
            }
        }

        foreach (var match in nearest)
        {
            if (!evidence.TryGetValue(match.Case.Category, out var entry))
            {
                continue;
            }

            entry.Similarity = match.Similarity;
            entry.ConfirmedSimilarity = match.Case.Source.StartsWith("confirmed:", StringComparison.Ordinal) ? match.Similarity : 0;
            if (match.Similarity >= CitedSimilarity)
            {
                var kind = match.Case.Source.StartsWith("confirmed:", StringComparison.Ordinal) ? "a confirmed" : "a known";
                entry.Evidence.Add($"reads like {kind} {match.Case.Category.Replace('_', ' ')} case ({match.Similarity:0.00}, {match.Case.Source}): '{IncidentText.Clip(match.Case.Text, 90)}'");
            }

            if (match.Similarity >= RemediationSimilarity)
            {
                entry.Remediation = match.Case.Remediation;
            }
        }

        foreach (var entry in evidence.Values)
        {
            if (RemediationEvidence.For(entry.Category, allText) is var (remediation, said))
            {
                entry.RemediationSaid = remediation;
                entry.Evidence.Add(said);
            }
        }

        var firstAlertAt = incident.OccurredAt;
        var anyChange = 0.0;
        foreach (var change in changes.Where(c => c.At <= firstAlertAt + AfterStartTolerance))
        {
            var strength = (firstAlertAt - change.At).TotalMinutes <= 60 ? 1.0 : 0.5;
            var named = NamedServices.IsNamed(incident, change);
            anyChange = named ? anyChange : Math.Max(anyChange, strength);
            if (HarmlessChanges.IsHarmless(change))
            {
                evidence["bad_deploy"].Evidence.Add(HarmlessChanges.Describe(change, firstAlertAt));
                continue;
            }

            var category = change.Kind switch
            {
                "deploy" => "bad_deploy",
                "config" or "feature_flag" => "config_error",
                _ => null,
            };
            if (category is null || !evidence.TryGetValue(category, out var entry))
            {
                continue;
            }

            // A change of a service the alerts name is a suspect of its own, weighed apart from the service's own changes:
            // the dependency named may be where it broke, or a bystander the alerts mention in passing.
            if (named && strength > entry.NamedChange)
            {
                entry.NamedChange = strength;
                entry.Evidence.Add($"{DescribeChange(change, firstAlertAt)}; the alerts name {change.Service}");
            }
            else if (!named && strength > entry.RecentChange)
            {
                entry.RecentChange = strength;
                entry.Evidence.Add(DescribeChange(change, firstAlertAt));
            }
        }

        var flat = NumericEvidence.TrafficFlat(allText);
        if (flat is not null)
        {
            evidence["traffic_spike"].Evidence.Add($"but the alerts say the request rate is flat ('{flat}')");
        }

        var surge = NumericEvidence.TrafficSurge(allText);
        if (surge is not null)
        {
            evidence["traffic_spike"].Evidence.Add(surge);
        }

        var versions = NumericEvidence.VersionsCompared(allText);
        if (versions is var (verdict, compared))
        {
            evidence["bad_deploy"].Evidence.Add(verdict > 0
                ? $"the versions differ in figures ('{compared}'): the new release behaves differently"
                : $"but the versions are alike in figures ('{compared}'): a deploy looks like a bystander");
        }

        ConcurrentEvidence.Weigh(evidence, incident, concurrent, now);
        // Read as the rules read each source: "0 errors" is evidence against a symptom, not for it.
        var symptoms = IncidentCategories.Match(IncidentText.WithoutZeroCounts(allText)).Where(m => m.Rule.Symptom).Select(m => m.Score).DefaultIfEmpty(0).Max();
        var firstAlert = string.Join('\n', sources.Where(s => s.First).Select(s => s.Text));
        return new CauseEvidence([.. CauseEvidence.Categories.Select(c => evidence[c])], symptoms, anyChange)
        {
            CpuPercent = NumericEvidence.CpuPercent(allText), TrafficFlat = flat is null ? 0 : 1, TrafficSurge = surge is null ? 0 : 1,
            VersionsCompared = versions?.Verdict ?? 0, Embedding = embedding, Terms = RemediationModel.Terms(allText), FirstTerms = RemediationModel.Terms(firstAlert),
        };
    }

    /// <summary>A change in words, with when it happened against the first alert.</summary>
    public static string DescribeChange(ChangeEvent change, DateTimeOffset firstAlertAt)
    {
        var minutes = (firstAlertAt - change.At).TotalMinutes;
        var when = minutes >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"{minutes:0} min before the first alert")
            : string.Create(CultureInfo.InvariantCulture, $"{-minutes:0} min after the first alert");
        return $"{change.Kind.Replace('_', ' ')} of {change.Service}: '{change.Summary}' ({change.Source}) {when}";
    }

    private sealed class WordTally
    {
        public HashSet<string> Words { get; } = new(StringComparer.OrdinalIgnoreCase);

        public HashSet<string> FirstWords { get; } = new(StringComparer.OrdinalIgnoreCase);

        public double Miss { get; set; } = 1;

        public double FirstMiss { get; set; } = 1;
    }
}
