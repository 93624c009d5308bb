using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// One kind of incident the local engine recognises. <see cref="Strong"/> terms point at this cause
/// specifically ("deadlock", "x509", "OOMKilled"); <see cref="Weak"/> terms are compatible with it but
/// also with others ("database", "timeout"). A symptom category (latency, errors) names what is wrong,
/// not why, and never outranks a cause.
/// </summary>
public sealed record CategoryRule(string Category, string Cause, Regex Strong, Regex Weak, double Weight, bool Symptom = false)
{
    private const double StrongTerm = 0.45;
    private const double WeakTerm = 0.12;

    /// <summary>
    /// Noisy-OR over the distinct terms found: each term is an independent hint with its own strength,
    /// so one specific term says more than several generic ones, and more evidence never lowers the score.
    /// </summary>
    public double Confidence(IEnumerable<string> words)
    {
        var miss = 1.0;
        foreach (var word in words.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            miss *= 1 - (Strong.IsMatch(word) ? StrongTerm : WeakTerm);
        }

        return Weight * (1 - miss);
    }

    public IEnumerable<string> Terms(string text) =>
        Strong.Matches(text).Concat(Weak.Matches(text)).Select(m => m.Value.ToLowerInvariant());
}

/// <summary>
/// The local engine's knowledge of what incidents are about: term rules over alert names, summaries,
/// labels, annotations and details. Written from SRE practice (the words exporters, runtimes and
/// clouds use), not from the scenario corpus, which measures them.
/// </summary>
public static partial class IncidentCategories
{
    public const string Unknown = "unknown";

    public static IReadOnlyList<CategoryRule> Rules { get; } =
    [
        new("bad_deploy", "A recent deployment introduced a regression", DeployStrong(), DeployWeak(), 1.0),
        new("config_error", "A configuration change broke the service (wrong value, route, credential or endpoint)", ConfigStrong(), ConfigWeak(), 1.0),
        new("certificate_expiry", "A TLS certificate expired or failed to renew", CertificateStrong(), CertificateWeak(), 1.0),
        new("disk_full", "A volume is running out of space or inodes", DiskStrong(), DiskWeak(), 1.0),
        new("memory_leak", "Memory grows until the process is killed (leak / OOM)", MemoryStrong(), MemoryWeak(), 1.0),
        new("database_contention", "Locks or long transactions in the database block other work", ContentionStrong(), ContentionWeak(), 1.0),
        new("network_partition", "Parts of the network cannot reach each other (packet loss, zone or link failure)", NetworkStrong(), NetworkWeak(), 1.0),
        new("dependency_outage", "A dependency (upstream API, provider, cache, queue) is failing", DependencyStrong(), DependencyWeak(), 0.95),
        new("traffic_spike", "Traffic far above normal load (launch, campaign, bots, attack)", TrafficStrong(), TrafficWeak(), 0.95),
        new("resource_exhaustion", "CPU, threads or connection pools are saturated", SaturationStrong(), SaturationWeak(), 0.9),
        new("latency", "Requests are slow: a saturated or degraded component on the request path", LatencyWords(), LatencyWords(), 0.5, Symptom: true),
        new("error_rate", "Requests are failing: errors raised by the service or a dependency", ErrorWords(), ErrorWords(), 0.45, Symptom: true),
    ];

    public static CategoryRule? Find(string category) => Rules.FirstOrDefault(r => r.Category == category);

    /// <summary>The text the rules read: every alert's summary, class, component, group, labels, annotations and details.</summary>
    public static string TextOf(Incident incident) => string.Join('\n', incident.Alerts.Select(a =>
        string.Join(' ', [a.Summary, a.Class, a.Component, a.Group, .. a.Labels.Values, .. a.Annotations.Values, a.Details?.GetRawText()])));

    /// <summary>Every rule that matches, causes before symptoms, best first.</summary>
    public static IReadOnlyList<(CategoryRule Rule, double Score, IReadOnlyList<string> Matches)> Match(string text) =>
        [.. Rules
            .Select(rule => (rule, matches: rule.Terms(text).Distinct().ToList()))
            .Where(x => x.matches.Count > 0)
            .Select(x => (x.rule, Score: x.rule.Confidence(x.matches), (IReadOnlyList<string>)x.matches))
            .OrderBy(x => x.rule.Symptom)
            .ThenByDescending(x => x.Score)];

    private const RegexOptions Options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;

    [GeneratedRegex(@"\b(deploy(ed|ment)?|rollout|rolled out|release[d]?|new version|canary|regression|migration)\b", Options)]
    private static partial Regex DeployStrong();

    // A version number alone is weak: versions are printed everywhere, whatever broke. Errors only code can raise (a method
    // or module that is not there, an uncaught error) are weak evidence of a release too.
    [GeneratedRegex(@"\b(version|build|commit|image|crash ?loop(ing|backoff)?|panic|exception|nullpointer\w*|typeerror|uncaught|call to undefined|undefined (method|function|index|property|variable)|nomethoderror|nosuchmethod\w*|attributeerror|classnotfound\w*|cannot find module|is not a function)\b|(?<![\d.])v?\d+\.\d+\.\d+(?![\d.])", Options)]
    private static partial Regex DeployWeak();

    [GeneratedRegex(@"\b(misconfigur\w*|config(uration)? (change|error|push|drift)|invalid (config\w*|setting|value)|wrong (value|endpoint|issuer|host|url)|rewrite rule|env(ironment)? var\w*|staging|typo|authentication failed|invalid credentials|password (rotat\w*|changed|mismatch)|access denied|permission denied)\b", Options)]
    private static partial Regex ConfigStrong();

    [GeneratedRegex(@"\b(config\w*|setting[s]?|timeout:? \d+ ?ms|404|not found|401|403|unauthori[sz]ed|forbidden|issuer|redirect\w*|flag|nxdomain|no such host|enotfound|unknown ?host\w*)\b", Options)]
    private static partial Regex ConfigWeak();

    [GeneratedRegex(@"\b(certificate|x509|ssl|tls|cert-manager|certmanager\w*|acm|notafter|not after|pkix|ssl ?handshake\w*|unknown authority|cert has expired)\b", Options)]
    private static partial Regex CertificateStrong();

    // "Expired" alone is weak: sessions, tokens, leases and locks expire too.
    [GeneratedRegex(@"\b(cert|handshake|https|renew\w*|issuer|ca|expir(y|es|ed|ing|ation))\b", Options)]
    private static partial Regex CertificateWeak();

    // A bare "41% used" is not here: a percentage says nothing of what it measures (heap, a pool); NumericEvidence reads
    // disk and inode figures next to the words that say so.
    [GeneratedRegex(@"\b(no space left|enospc|disk quota exceeded|disk (full|usage|space)|filesystem|inode[s]?|out of space|space left|(disk|volume|partition) is full|flood[ -]stage|read[ -]only (index|file ?system)|(insufficient|not enough) (disk )?space)\b", Options)]
    private static partial Regex DiskStrong();

    [GeneratedRegex(@"\b(disk|volume|storage|pvc|wal|retention|log director(y|ies)|bytes free|gib|partition full)\b", Options)]
    private static partial Regex DiskWeak();

    [GeneratedRegex(@"\b(oom\w*|out ?of ?memory\w*|exit ?code:? 137|memory limit (of \d+ ?\w+ )?exceeded|exceeded (its |the )?memory limit|memory leak|leak\w*|heap|gc overhead|garbage collection|working[ _]set|rss)\b", Options)]
    private static partial Regex MemoryStrong();

    [GeneratedRegex(@"\b(memory|mem|gc|goroutines|evict\w*|swap\w*|page faults)\b", Options)]
    private static partial Regex MemoryWeak();

    [GeneratedRegex(@"\b(dead ?lock\w*|lock wait\w*|locks?|locked|row lock\w*|blocking (pid|quer(y|ies)|session[s]?)|blocked by|idle in transaction|could not obtain lock|40p01|55p03|er_lock_\w+|long[- ]running (transaction|quer(y|ies))|transaction open|vacuum\w*|contention)\b", Options)]
    private static partial Regex ContentionStrong();

    [GeneratedRegex(@"\b(transaction[s]?|xact|innodb|pg_stat_activity|pg_locks|threads_running|waiting|queries|query|sessions)\b", Options)]
    private static partial Regex ContentionWeak();

    [GeneratedRegex(@"\b(packet loss|partition(ed)?|split[- ]brain|unreachable|no route to host|retransmit\w*|icmp|network (outage|failure|loss)|link (down|lost)|cross[- ]zone|between (availability )?zones|availability zone|sdown|odown|bgp|interface (down|flap\w*)|uplink|non[- ]?primary|(not part of|outside) the primary component|lost quorum|quorum lost|no quorum)\b", Options)]
    private static partial Regex NetworkStrong();

    [GeneratedRegex(@"\b(network|i/o timeout|dial tcp|zone|az|subnet|latency between|tcp|rack|switch|interconnect)\b", Options)]
    private static partial Regex NetworkWeak();

    [GeneratedRegex(@"\b(upstream|provider|vendor|third[- ]party|status page|circuit breaker|connection refused|econnrefused|econnreset|etimedout|socket ?timeout\w*|read timed out|dependency|external (api|service)|psp|outage|health ?check failed|service unavailable|503)\b", Options)]
    private static partial Regex DependencyStrong();

    [GeneratedRegex(@"\b(database|db|postgres\w*|mysql|redis|cache|kafka|queue|broker|api|dns|connection[s]?|unavailable|timeout[s]?|timed out|failing|down)\b", Options)]
    private static partial Regex DependencyWeak();

    [GeneratedRegex(@"\b(traffic|request rate|requests per second|rps|qps|surge|spike|\d+(\.\d+)?x (the )?([\w-]+ )?(baseline|normal|usual|forecast)|bot[s]?|scraper|crawler|credential stuffing|ddos|flood|campaign|push notification|marketing|viral)\b", Options)]
    private static partial Regex TrafficStrong();

    [GeneratedRegex(@"\b(requests|load|api[ _]key|client|login attempts|users|sessions|anomal\w*|rate limit\w*)\b", Options)]
    private static partial Regex TrafficWeak();

    [GeneratedRegex(@"\b(saturat\w*|exhaust\w*|cpu|throttl\w*|thread ?pool|threads busy|busy threads|rejected\w*|max(imum)? (replicas|threads|connections|size)|insufficient (cpu|memory)|unschedulable|capacity|ephemeral ports?|no free ports|port exhaustion|too many open files|emfile|file descriptors?|nf_conntrack|conntrack table full|no available instances?|max[ _-]?instances|instance limit|placement failures?|blocked evaluations|allocations? pending|pending allocations?|out[ _]of[ _]resources|memory (high )?watermark|maxmemory)\b", Options)]
    private static partial Regex SaturationStrong();

    [GeneratedRegex(@"\b(queue (depth|size)|backlog|lag|limit|load average|utili[sz]ation|pool|workers|hpa|autoscal\w*|pending pods)\b", Options)]
    private static partial Regex SaturationWeak();

    [GeneratedRegex(@"\b(latency|slow|p9[59]|response time|apdex|timeout[s]?|timed out)\b", Options)]
    private static partial Regex LatencyWords();

    [GeneratedRegex(@"\b(5xx|50[0-4]|error rate|errors|exception[s]?|failing|failure[s]?|slo)\b", Options)]
    private static partial Regex ErrorWords();
}
