using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The local engine's reasoning, from evidence of four kinds, each hypothesis naming what supports it:
/// <list type="bullet">
/// <item>words: the category rules over alert names (split into words), summaries, annotations, labels, details and
/// metric names, weighed by where they sit (what an alert says counts more than what a component or label is called);</item>
/// <item>figures: certificate dates against now, disk and inode percentages (<see cref="NumericEvidence"/>);</item>
/// <item>meaning: the nearest labelled case of each category by sentence embedding (<see cref="CaseBase"/>), so an
/// incident told in a vocabulary the rules never saw still finds its kind;</item>
/// <item>history: causes the service has had before (never enough alone).</item>
/// </list>
/// </summary>
public sealed partial class LocalReasoner(CaseBase cases, TimeProvider time)
{
    /// <summary>Below this, a cause is not evidence enough to name (then the answer is "unknown").</summary>
    public const double MinimumConfidence = 0.3;

    /// <summary>Similarity at which a case starts to count, and the most a case alone can give.</summary>
    private const double SimilarityFloor = 0.35;
    private const double SimilarityRange = 0.35;
    private const double SemanticWeight = 0.55;

    /// <summary>A case this near lends its usual first fix to the hypothesis.</summary>
    private const double RemediationSimilarity = 0.45;

    public IReadOnlyList<CauseHypothesis> Reason(Incident incident, IReadOnlyList<ServiceMemoryEntry> history)
    {
        var evidence = new Dictionary<string, Accumulator>(StringComparer.Ordinal);
        Accumulator For(string category) => evidence.TryGetValue(category, out var a) ? a : evidence[category] = new Accumulator();

        foreach (var (origin, text, weight) in Sources(incident))
        {
            foreach (var (rule, _, words) in IncidentCategories.Match(text))
            {
                var entry = For(rule.Category);
                var fresh = words.Where(w => entry.Words.Add(w)).ToList();
                foreach (var word in fresh)
                {
                    entry.Miss *= 1 - ((rule.Strong.IsMatch(word) ? 0.45 : 0.12) * weight * rule.Weight);
                }

                if (fresh.Count > 0)
                {
                    entry.Evidence.Add($"{origin} mentions {string.Join(", ", fresh.Select(w => $"'{w}'"))}");
                }
            }
        }

        var allText = string.Join('\n', Sources(incident).Select(s => s.Text));
        foreach (var (category, strength, said) in NumericEvidence.Find(allText, time.GetUtcNow()))
        {
            var entry = For(category);
            entry.Miss *= 1 - strength;
            entry.Evidence.Add(said);
        }

        foreach (var match in cases.NearestPerCategory(SemanticText(incident)))
        {
            var strength = Math.Clamp((match.Similarity - SimilarityFloor) / SimilarityRange, 0, 1) * SemanticWeight;
            if (strength <= 0)
            {
                continue;
            }

            var entry = For(match.Case.Category);
            entry.Miss *= 1 - strength;
            entry.Evidence.Add($"reads like a known {match.Case.Category.Replace('_', ' ')} case ({match.Similarity:0.00}): '{Clip(match.Case.Text, 90)}'");
            if (match.Similarity >= RemediationSimilarity)
            {
                entry.Remediation = match.Case.Remediation;
            }
        }

        var hypotheses = new List<CauseHypothesis>();
        foreach (var (category, entry) in evidence)
        {
            if (IncidentCategories.Find(category) is not { } rule)
            {
                continue;
            }

            var confidence = 1 - entry.Miss;
            var before = history.Count(h => string.Equals(h.Cause, category, StringComparison.OrdinalIgnoreCase));
            if (before > 0 && confidence > 0)
            {
                // A cause this service has had before is likelier, but history alone never names a cause.
                confidence = 1 - ((1 - confidence) * (1 - Math.Min(0.2, 0.1 * before)));
                entry.Evidence.Add($"{incident.Service} had {before} earlier incident(s) caused by {category.Replace('_', ' ')}");
            }

            // Symptom categories say what is wrong, not why: they stay below any cause (their rule weight caps them).
            confidence = rule.Symptom ? Math.Min(confidence, rule.Weight) : confidence;
            hypotheses.Add(new CauseHypothesis(category, rule.Cause, Math.Round(Math.Min(0.97, confidence), 2), entry.Evidence) { SuggestedRemediation = entry.Remediation });
        }

        // Causes before symptoms; the diagnosis then weighs changes and ranks effects after the causes behind them.
        return [.. hypotheses.Where(h => h.Confidence >= MinimumConfidence)
            .OrderBy(h => IncidentCategories.Find(h.Category)?.Symptom == true).ThenByDescending(h => h.Confidence).ThenBy(h => h.Category, StringComparer.Ordinal).Take(5)];
    }

    /// <summary>What the embedding reads: each alert's name (as words), summary, class and descriptions, the first alert first.</summary>
    private static string SemanticText(Incident incident)
    {
        var text = string.Join(". ", incident.Alerts.OrderBy(a => a.OccurredAt).Select(a => string.Join(". ",
            new[] { SplitWords(a.Labels.GetValueOrDefault("alertname") ?? string.Empty), a.Summary, a.Class }
                .Concat(a.Annotations.Where(kv => kv.Key is not "runbook_url" and not "dashboard").Select(kv => kv.Value))
                .Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.OrdinalIgnoreCase))));
        return Clip(text, 1500);
    }

    /// <summary>
    /// Each piece of alert text with where it came from and how much what it says counts: what an alert says (summary,
    /// name, annotations, details, class) fully; what a component, group or label is called, less (a service named
    /// "marketing-api" is not a marketing campaign).
    /// </summary>
    private static IEnumerable<(string Origin, string Text, double Weight)> Sources(Incident incident)
    {
        foreach (var alert in incident.Alerts)
        {
            yield return ($"alert '{Clip(alert.Summary, 60)}'", alert.Summary, 1.0);
            if (!string.IsNullOrWhiteSpace(alert.Class))
            {
                yield return ("class", alert.Class, 1.0);
            }

            foreach (var part in new[] { ("component", alert.Component), ("group", alert.Group) })
            {
                if (!string.IsNullOrWhiteSpace(part.Item2))
                {
                    yield return (part.Item1, part.Item2, 0.6);
                }
            }

            foreach (var (key, value) in alert.Annotations)
            {
                yield return ($"{key}={Clip(value, 60)}", value, 1.0);
            }

            foreach (var (key, value) in alert.Labels)
            {
                yield return key == "alertname" ? ($"{key}={value}", SplitWords(value), 1.0) : ($"{key}={Clip(value, 60)}", value, 0.6);
            }

            foreach (var metric in MetricNames(alert))
            {
                yield return ($"metric {metric}", metric.Replace('_', ' '), 1.0);
            }

            if (alert.Details is { ValueKind: JsonValueKind.Object } details)
            {
                yield return ("alert details", details.GetRawText(), 1.0);
            }
        }
    }

    private static IEnumerable<string> MetricNames(Alert alert) =>
        alert.Annotations.Values.Concat(alert.Labels.Values).Append(alert.Details?.GetRawText() ?? string.Empty)
            .SelectMany(text => MetricName().Matches(text).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal);

    /// <summary>"KubePodOOMKilled" → "Kube Pod OOM Killed": alert names are CamelCase phrases.</summary>
    private static string SplitWords(string name) => CamelBoundary().Replace(name, " ");

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";

    [GeneratedRegex(@"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:total|seconds|bytes|count|bucket|ratio|percent|errors|usage|utilization)\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")]
    private static partial Regex CamelBoundary();

    private sealed class Accumulator
    {
        public HashSet<string> Words { get; } = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Evidence { get; } = [];

        public double Miss { get; set; } = 1;

        public string? Remediation { get; set; }
    }
}
