using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>What the local engine reads of an incident: each piece of alert text with where it sits, and the text the embedding reads.</summary>
public static partial class IncidentText
{
    /// <summary>
    /// Each piece of alert text with where it came from, how much what it says counts, and whether it is the first
    /// alert's: what an alert says (summary, name, annotations, details, class) fully; what a component, group or label is
    /// called, less (a service named "marketing-api" is not a marketing campaign).
    /// </summary>
    public static IEnumerable<(string Origin, string Text, double Weight, bool First)> Sources(Incident incident)
    {
        var first = incident.Alerts.OrderBy(a => a.OccurredAt).FirstOrDefault();
        foreach (var alert in incident.Alerts)
        {
            var isFirst = ReferenceEquals(alert, first);
            yield return ($"alert '{Clip(alert.Summary, 60)}'", alert.Summary, 1.0, isFirst);
            if (!string.IsNullOrWhiteSpace(alert.Class))
            {
                yield return ("class", alert.Class, 1.0, isFirst);
            }

            foreach (var part in new[] { ("component", alert.Component), ("group", alert.Group) })
            {
                if (!string.IsNullOrWhiteSpace(part.Item2))
                {
                    yield return (part.Item1, part.Item2, 0.6, isFirst);
                }
            }

            foreach (var (key, value) in alert.Annotations)
            {
                yield return ($"{key}={Clip(value, 60)}", value, 1.0, isFirst);
            }

            foreach (var (key, value) in alert.Labels)
            {
                yield return key == "alertname" ? ($"{key}={value}", SplitWords(value), 1.0, isFirst) : ($"{key}={Clip(value, 60)}", value, 0.6, isFirst);
            }

            foreach (var metric in MetricNames(alert))
            {
                yield return ($"metric {metric}", metric.Replace('_', ' '), 1.0, isFirst);
            }

            if (alert.Details is { ValueKind: JsonValueKind.Object } details)
            {
                yield return ("alert details", details.GetRawText(), 1.0, isFirst);
            }
        }
    }

    /// <summary>What the embedding reads: each alert's name (as words), summary, class and descriptions, the first alert first.</summary>
    public static string Semantic(Incident incident)
    {
        var text = string.Join(". ", incident.Alerts.OrderBy(a => a.OccurredAt).Select(a => string.Join(". ",
            new[] { SplitWords(a.Labels.GetValueOrDefault("alertname") ?? string.Empty), a.Summary, a.Class }
                .Concat(a.Annotations.Where(kv => kv.Key is not "runbook_url" and not "dashboard").Select(kv => kv.Value))
                .Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.OrdinalIgnoreCase))));
        return Clip(text, 1500);
    }

    /// <summary>
    /// The text with its identifiers also as words: "CERTIFICATE_VERIFY_FAILED", "TLS_error" and "ThreadPoolStarvation"
    /// are what tools print, and the rules read words ("certificate", "tls", "thread pool"). The original stays, so
    /// identifiers the rules name as such (pg_stat_activity) still match.
    /// </summary>
    public static string WithIdentifiersAsWords(string text)
    {
        var words = CamelBoundary().Replace(text.Replace('_', ' '), " ");
        return words == text ? text : $"{text}\n{words}";
    }

    /// <summary>What the category rules read of one piece of text: its identifiers as words too, and no word a counter reports as zero.</summary>
    public static string ForRules(string text) => WithoutZeroCounts(WithIdentifiersAsWords(text));

    /// <summary>
    /// The text with the words a counter reported as zero blanked ("0 lock waits", "blocked processes 0",
    /// <c>"packet_loss_pct": 0</c>): a tool that says there are none is evidence against that cause, not for it (but a
    /// measure of what is left, such as <c>"free_bytes": 0</c>, at zero is the cause). Figures
    /// (<see cref="NumericEvidence"/>) read the original text.
    /// </summary>
    public static string WithoutZeroCounts(string text)
    {
        var blanked = ZeroBefore().Replace(text, m => m.Value[..(m.Groups["t"].Index - m.Index)] + new string(' ', m.Groups["t"].Length));
        return ZeroAfter().Replace(blanked, m => WhatIsLeft().IsMatch(m.Groups["t"].Value) ? m.Value : new string(' ', m.Groups["t"].Length) + m.Value[m.Groups["t"].Length..]);
    }

    public static string Clip(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";

    private static IEnumerable<string> MetricNames(Alert alert) =>
        alert.Annotations.Values.Concat(alert.Labels.Values).Append(alert.Details?.GetRawText() ?? string.Empty)
            .SelectMany(text => MetricName().Matches(text).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal);

    /// <summary>"KubePodOOMKilled" → "Kube Pod OOM Killed": alert names are CamelCase phrases.</summary>
    private static string SplitWords(string name) => CamelBoundary().Replace(name, " ");

    [GeneratedRegex(@"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:total|seconds|bytes|count|bucket|ratio|percent|errors|usage|utilization)\b")]
    private static partial Regex MetricName();

    // "0 lock waits", "0 errors": a zero not part of a longer figure, version, address or code, then one or two words.
    [GeneratedRegex(@"(?<![\w.,:/-])0(\.0+)? ?%?[ \t]+(?!of\b)(?<t>[A-Za-z][\w-]*(?: [A-Za-z][\w-]*)?)")]
    private static partial Regex ZeroBefore();

    // "blocked processes 0", "packet loss pct": 0, "drops=0": one or two words, then a zero that is not "0 of 12" or "0/3".
    [GeneratedRegex(@"(?<t>[A-Za-z][\w-]*(?: [A-Za-z][\w-]*)?)""?[ \t]*(?:==|=|:)?[ \t]*0(\.0+)?%?(?![\w:/-]|[.,]\d|[ \t]*(?:of|/)[ \t]*\d)")]
    private static partial Regex ZeroAfter();

    // What is left (free bytes, available memory, remaining days, idle workers) at zero is the cause itself, not its absence.
    [GeneratedRegex(@"(?i)free|avail|remaining|left|idle|spare|headroom")]
    private static partial Regex WhatIsLeft();

    [GeneratedRegex(@"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")]
    private static partial Regex CamelBoundary();
}
