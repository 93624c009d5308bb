using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.LocalEngine;

/// <summary>One category of incident the local engine recognises, with the words that suggest it.</summary>
public sealed record CategoryRule(string Category, string Cause, Regex Pattern, double Weight);

/// <summary>
/// The local engine's knowledge of what incidents are about: keyword rules over alert summaries,
/// classes, components and details. The AI layer replaces the reasoning; these rules stay as the
/// no-credentials default and the fallback when the models are down.
/// </summary>
public static partial class IncidentCategories
{
    public const string Unknown = "unknown";

    public static IReadOnlyList<CategoryRule> Rules { get; } =
    [
        new("bad_deploy", "A recent deployment introduced a regression", DeployWords(), 1.0),
        new("certificate_expiry", "A TLS certificate expired or is about to", CertificateWords(), 1.0),
        new("disk_full", "A volume is running out of space or inodes", DiskWords(), 1.0),
        new("memory_leak", "Memory grows until the process is killed (OOM)", MemoryWords(), 1.0),
        new("dependency_outage", "A dependency (database, queue, upstream API) is failing", DependencyWords(), 0.9),
        new("resource_exhaustion", "CPU or connection pool saturation", SaturationWords(), 0.8),
        new("traffic_spike", "Traffic above normal load", TrafficWords(), 0.8),
        new("latency", "Requests are slow: a saturated or degraded component on the request path", LatencyWords(), 0.7),
        new("error_rate", "Requests are failing: errors raised by the service or a dependency", ErrorWords(), 0.6),
    ];

    /// <summary>The text the rules read: every alert's summary, class, component, group and details.</summary>
    public static string TextOf(Incident incident) => string.Join('\n', incident.Alerts.Select(a =>
        string.Join(' ', a.Summary, a.Class, a.Component, a.Group, a.Details?.GetRawText())));

    /// <summary>Every rule that matches, scored by how many of its words appear, best first.</summary>
    public static IReadOnlyList<(CategoryRule Rule, double Score, IReadOnlyList<string> Matches)> Match(string text) =>
        [.. Rules
            .Select(rule => (rule, matches: rule.Pattern.Matches(text).Select(m => m.Value.ToLowerInvariant()).Distinct().ToList()))
            .Where(x => x.matches.Count > 0)
            .Select(x => (x.rule, Score: x.rule.Weight * (1 - Math.Pow(0.5, x.matches.Count)), (IReadOnlyList<string>)x.matches))
            .OrderByDescending(x => x.Score)];

    [GeneratedRegex(@"\b(deploy(ment|ed)?|release[d]?|rollout|roll-out|canary|new version|version \d[\w.]*)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DeployWords();

    [GeneratedRegex(@"\b(certificate|cert|x509|tls|ssl|expir(y|es|ed|ing))\b", RegexOptions.IgnoreCase)]
    private static partial Regex CertificateWords();

    [GeneratedRegex(@"\b(disk|volume|filesystem|inode[s]?|no space|storage full|pvc)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DiskWords();

    [GeneratedRegex(@"\b(oom|oomkill(ed)?|out of memory|memory|heap|rss|leak)\b", RegexOptions.IgnoreCase)]
    private static partial Regex MemoryWords();

    [GeneratedRegex(@"\b(database|db|postgres|mysql|redis|kafka|queue|upstream|dependency|connection refused|unreachable|dns)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DependencyWords();

    [GeneratedRegex(@"\b(cpu|throttl(ed|ing)|saturat(ed|ion)|load average|thread pool|connection pool|exhaust(ed|ion))\b", RegexOptions.IgnoreCase)]
    private static partial Regex SaturationWords();

    [GeneratedRegex(@"\b(traffic|rps|requests per second|spike|surge|ddos)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TrafficWords();

    [GeneratedRegex(@"\b(latency|slow|p9[59]|response time|timeout[s]?|timed out)\b", RegexOptions.IgnoreCase)]
    private static partial Regex LatencyWords();

    [GeneratedRegex(@"\b(5xx|50[0-4]|error rate|errors|exception[s]?|failing|failure[s]?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ErrorWords();
}
