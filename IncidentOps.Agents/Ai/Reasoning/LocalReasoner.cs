using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The local engine's reasoning: the category rules read alert summaries, alert names (split into words),
/// labels, annotations and metric names, and the service's history raises causes seen there before.
/// Each hypothesis names the evidence that supports it.
/// </summary>
public static partial class LocalReasoner
{
    /// <summary>Below this, a hypothesis is not evidence enough to name a cause.</summary>
    public const double MinimumConfidence = 0.25;

    public static IReadOnlyList<CauseHypothesis> Reason(Incident incident, IReadOnlyList<ServiceMemoryEntry> history)
    {
        var evidence = new Dictionary<string, (CategoryRule Rule, HashSet<string> Words, List<string> Evidence)>();
        foreach (var (origin, text) in Sources(incident))
        {
            foreach (var (rule, _, words) in IncidentCategories.Match(text))
            {
                if (!evidence.TryGetValue(rule.Category, out var entry))
                {
                    entry = evidence[rule.Category] = (rule, new HashSet<string>(StringComparer.OrdinalIgnoreCase), []);
                }

                var fresh = words.Where(entry.Words.Add).ToList();
                if (fresh.Count > 0)
                {
                    entry.Evidence.Add($"{origin} mentions {string.Join(", ", fresh.Select(w => $"'{w}'"))}");
                }
            }
        }

        var hypotheses = new List<CauseHypothesis>();
        foreach (var (category, (rule, words, found)) in evidence)
        {
            var confidence = rule.Confidence(words);
            var before = history.Count(h => string.Equals(h.Cause, category, StringComparison.OrdinalIgnoreCase));
            if (before > 0)
            {
                // A cause this service has had before is likelier, but history alone never names a cause.
                confidence += Math.Min(0.2, 0.1 * before);
                found.Add($"{incident.Service} had {before} earlier incident(s) caused by {category.Replace('_', ' ')}");
            }

            hypotheses.Add(new CauseHypothesis(category, rule.Cause, Math.Round(Math.Min(0.99, confidence), 2), found));
        }

        // Causes before symptoms: "latency" says what is wrong, not why.
        return [.. hypotheses.Where(h => h.Confidence >= MinimumConfidence)
            .OrderBy(h => IncidentCategories.Find(h.Category)?.Symptom == true).ThenByDescending(h => h.Confidence).ThenBy(h => h.Category, StringComparer.Ordinal).Take(3)];
    }

    /// <summary>Each piece of alert text with where it came from, so evidence can say "label alertname mentions ...".</summary>
    private static IEnumerable<(string Origin, string Text)> Sources(Incident incident)
    {
        foreach (var alert in incident.Alerts)
        {
            yield return ($"alert '{Clip(alert.Summary)}'", alert.Summary);
            foreach (var part in new[] { ("class", alert.Class), ("component", alert.Component), ("group", alert.Group) })
            {
                if (!string.IsNullOrWhiteSpace(part.Item2))
                {
                    yield return (part.Item1, part.Item2);
                }
            }

            foreach (var (key, value) in alert.Labels.Concat(alert.Annotations))
            {
                yield return ($"{key}={Clip(value)}", key == "alertname" ? SplitWords(value) : value);
            }

            foreach (var metric in MetricNames(alert))
            {
                yield return ($"metric {metric}", metric.Replace('_', ' '));
            }

            if (alert.Details is { ValueKind: JsonValueKind.Object } details)
            {
                yield return ("alert details", details.GetRawText());
            }
        }
    }

    private static IEnumerable<string> MetricNames(Alert alert) =>
        alert.Annotations.Values.Concat(alert.Labels.Values).Append(alert.Details?.GetRawText() ?? string.Empty)
            .SelectMany(text => MetricName().Matches(text).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal);

    /// <summary>"KubePodOOMKilled" → "Kube Pod OOM Killed": alert names are CamelCase phrases.</summary>
    private static string SplitWords(string name) => CamelBoundary().Replace(name, " ");

    private static string Clip(string text) => text.Length <= 60 ? text : text[..57] + "...";

    [GeneratedRegex(@"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:total|seconds|bytes|count|bucket|ratio|percent|errors|usage|utilization)\b")]
    private static partial Regex MetricName();

    [GeneratedRegex(@"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")]
    private static partial Regex CamelBoundary();
}
