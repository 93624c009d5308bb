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

    // A login refused for what it presents rather than for load: SQL Server's 18456 (login failed for user) and 18452
    // (untrusted domain), Oracle's ORA-01017 (invalid username/password) and ORA-28000/28001 (account locked, password
    // expired), Kerberos' KDC_ERR_* and NTLM blocked by policy all say a credential or policy was changed.
    [GeneratedRegex(@"\b(misconfigur\w*|config(uration)? (change|error|push|drift)|invalid (config\w*|setting|value)|wrong (value|endpoint|issuer|host|url)|rewrite rule|env(ironment)? var\w*|staging|typo|authentication failed|invalid credentials|password (rotat\w*|changed|mismatch)|access denied|permission denied|login failed for user|error:? 1845[26]|untrusted domain|ora-01017|ora-2800[01]|invalid username/password|ntlm\b[^.\n]{0,60}\bblocked|kdc_err_\w+)\b", Options)]
    private static partial Regex ConfigStrong();

    [GeneratedRegex(@"\b(config\w*|setting[s]?|timeout:? \d+ ?ms|404|not found|401|403|unauthori[sz]ed|forbidden|issuer|redirect\w*|flag|nxdomain|no such host|enotfound|unknown ?host\w*)\b", Options)]
    private static partial Regex ConfigWeak();

    // Entra ID's AADSTS700027 is a client assertion signed with an expired certificate credential.
    [GeneratedRegex(@"\b(certificate|x509|ssl|tls|cert-manager|certmanager\w*|acm|notafter|not after|pkix|ssl ?handshake\w*|unknown authority|cert has expired|aadsts700027)\b", Options)]
    private static partial Regex CertificateStrong();

    // "Expired" alone is weak: sessions, tokens, leases and locks expire too.
    [GeneratedRegex(@"\b(cert|handshake|https|renew\w*|issuer|ca|expir(y|es|ed|ing|ation))\b", Options)]
    private static partial Regex CertificateWeak();

    // A bare "41% used" is not here: a percentage says nothing of what it measures (heap, a pool); NumericEvidence reads
    // disk and inode figures next to the words that say so. Databases and Windows say "full" in their own words: Oracle's
    // archiver stops when the fast recovery area (FRA, db_recovery_file_dest) is full (ORA-00257) and a tablespace that
    // cannot grow raises ORA-01652..01654/01688 "unable to extend"; SQL Server's "transaction log for database ... is full"
    // (error 9002) and "filegroup is full" (1105); Windows logs "disk is at or near capacity" (event 2013); a VMware
    // datastore or a NetApp aggregate runs out of space like any volume.
    [GeneratedRegex(@"\b(no space left|enospc|disk quota exceeded|disk (full|usage|space)|filesystem|inode[s]?|out of space|space left|(disk|volume|partition|drive|datastore|aggregate|filegroup|tablespace|recovery area) is full|flood[ -]stage|read[ -]only (index|file ?system)|(insufficient|not enough) (disk )?space|free (disk )?space|ora-00257|archiver error|ora-0165[234]|ora-01688|unable to extend|(fast |flash )?recovery area|db_recovery_file_dest|transaction log (for database \S+ )?is full|log (file )?is full|at or near capacity|datastore usage)\b", Options)]
    private static partial Regex DiskStrong();

    [GeneratedRegex(@"\b(disk|volume|storage|pvc|wal|retention|log director(y|ies)|bytes free|free_bytes|gib|partition full|tablespace|archive ?log\w*|datastore)\b", Options)]
    private static partial Regex DiskWeak();

    // Windows says it in its own counters: a process's private bytes (its RSS), the kernel's paged and nonpaged pools (a
    // driver's leak; event 2019/2020 "unable to allocate from the system nonpaged pool"), the commit charge against its
    // limit; Oracle's ORA-04030/04031 are out of process and shared-pool memory.
    [GeneratedRegex(@"\b(oom\w*|out ?of ?memory\w*|exit ?code:? 137|memory limit (of \d+ ?\w+ )?exceeded|exceeded (its |the )?memory limit|memory leak|leak\w*|heap|gc overhead|garbage collection|working[ _]set|rss|private[ _]bytes|(non)?paged[ _]pool|pool[ _](non)?paged|commit (charge|limit)|committed bytes|ora-0403[01])\b", Options)]
    private static partial Regex MemoryStrong();

    [GeneratedRegex(@"\b(memory|mem|gc|goroutines|evict\w*|swap\w*|page faults|available (memory|mbytes)|pool tag|poolmon)\b", Options)]
    private static partial Regex MemoryWeak();

    // SQL Server names a blocking chain by its head blocker, its blocked process report and LCK_M_* waits; Oracle by
    // "enq: TX - row lock contention".
    [GeneratedRegex(@"\b(dead ?lock\w*|lock wait\w*|locks?|locked|row lock\w*|blocking (pid|quer(y|ies)|session[s]?)|blocked by|idle in transaction|could not obtain lock|40p01|55p03|er_lock_\w+|long[- ]running (transaction|quer(y|ies))|transaction open|vacuum\w*|contention)|head blocker|blocked process\w*|lck_m_\w+|enq: tx|row lock contention\b", Options)]
    private static partial Regex ContentionStrong();

    [GeneratedRegex(@"\b(transaction[s]?|xact|innodb|pg_stat_activity|pg_locks|threads_running|waiting|queries|query|sessions)\b", Options)]
    private static partial Regex ContentionWeak();

    // Two halves that each think the other gone: an HA pair or cluster whose heartbeat links are down (each side declares
    // its peer dead and both go active), the switches then reporting the shared MAC flapping between ports (a loop).
    // A bare "peer down" is not here: Diameter, SIP trunks, database replicas and BGP sessions all have peers, and a peer
    // goes down when its process dies as often as when the network between fails; it counts only where the network is
    // named ("network peer unreachable", "heartbeat peer dead"); BGP is read by its own name above.
    [GeneratedRegex(@"\b(packet loss|partition(ed)?|split[- ]brain|unreachable|no route to host|retransmit\w*|icmp|network (outage|failure|loss)|link (down|lost)|cross[- ]zone|between (availability )?zones|availability zone|sdown|odown|bgp|interface (down|flap\w*)|uplink|non[- ]?primary|(not part of|outside) the primary component|lost quorum|quorum lost|no quorum)|mac[ _-]?flap\w*|loops? detected|(ha|heartbeat|cluster) (link|interconnect)s? (down|lost)|(network|link|heartbeat|interconnect) peers? (is |are )?(down|dead|unreachable)\b", Options)]
    private static partial Regex NetworkStrong();

    [GeneratedRegex(@"\b(network|i/o timeout|dial tcp|zone|az|subnet|latency between|tcp|rack|switch|interconnect)\b", Options)]
    private static partial Regex NetworkWeak();

    // A server that stopped answering: the kernel's "nfs: server X not responding, still trying", a proxy marking its
    // upstream dead or zombie (FreeRADIUS, HAProxy, Envoy).
    [GeneratedRegex(@"\b(upstream|provider|vendor|third[- ]party|status page|circuit breaker|connection refused|econnrefused|econnreset|etimedout|socket ?timeout\w*|read timed out|dependency|external (api|service)|psp|outage|health ?check failed|service unavailable|503|server [\w.-]+ not responding|not responding, still trying|(marked|is) (dead|zombie)|zombie)\b", Options)]
    private static partial Regex DependencyStrong();

    [GeneratedRegex(@"\b(database|db|postgres\w*|mysql|redis|cache|kafka|queue|broker|api|dns|connection[s]?|unavailable|timeout[s]?|timed out|failing|down)\b", Options)]
    private static partial Regex DependencyWeak();

    [GeneratedRegex(@"\b(traffic|request rate|requests per second|rps|qps|surge|spike|\d+(\.\d+)?x (the )?([\w-]+ )?(baseline|normal|usual|forecast)|bot[s]?|scraper|crawler|credential stuffing|ddos|flood|campaign|push notification|marketing|viral)\b", Options)]
    private static partial Regex TrafficStrong();

    [GeneratedRegex(@"\b(requests|load|api[ _]key|client|login attempts|users|sessions|anomal\w*|rate limit\w*)\b", Options)]
    private static partial Regex TrafficWeak();

    // Besides pools and limits, what schedulers say when work waits for a CPU: Windows' processor queue length, Linux's run
    // queue, VMware's CPU ready time and overcommit, SQL Server's signal waits (SOS_SCHEDULER_YIELD, runnable tasks);
    // PHP-FPM's pm.max_children and FreeRADIUS's max_outstanding are worker limits; a NAT (SNAT, PAN-OS DIPP) pool that
    // cannot allocate an IP or port is out of ports like a host out of ephemeral ports. A host out of ephemeral ports says
    // so in the kernel's words: connect() fails with EADDRNOTAVAIL ("cannot assign requested address", Java's
    // BindException), the sockets sit in TIME_WAIT (node_exporter's sockstat TCP_tw, Windows' TCP connection states),
    // the local (Linux) or dynamic (Windows) port range is used up, and Windows logs Tcpip event 4231.
    [GeneratedRegex(@"\b(saturat\w*|exhaust\w*|cpu|throttl\w*|thread ?pool|threads busy|busy threads|rejected\w*|max(imum)? (replicas|threads|connections|size)|insufficient (cpu|memory)|unschedulable|capacity|ephemeral ports?|no free ports|port exhaustion|too many open files|emfile|file descriptors?|nf_conntrack|conntrack table full|no available instances?|max[ _-]?instances|instance limit|placement failures?|blocked evaluations|allocations? pending|pending allocations?|out[ _]of[ _]resources|memory (high )?watermark|maxmemory|processor queue( length)?|run ?queue|cpu ready|ready time|signal waits?|sos_scheduler_yield|runnable tasks|over-?commit\w*|max[ _.]?children|max_outstanding|(nat|snat|dip|dipp) (pool|port)\w*|(ip|port)s? allocation fail\w*|failed to allocate (ip|port)\w*|time[_ -]?wait|sockstat[_ ]tcp[_ ]tw|eaddrnotavail|cannot assign requested address|(local|dynamic|ephemeral) port range|tcpip (event )?4231)\b", Options)]
    private static partial Regex SaturationStrong();

    [GeneratedRegex(@"\b(queue (depth|size)|backlog|lag|limit|load average|utili[sz]ation|pool|workers|hpa|autoscal\w*|pending pods)\b", Options)]
    private static partial Regex SaturationWeak();

    [GeneratedRegex(@"\b(latency|slow|p9[59]|response time|apdex|timeout[s]?|timed out)\b", Options)]
    private static partial Regex LatencyWords();

    [GeneratedRegex(@"\b(5xx|50[0-4]|error rate|errors|exception[s]?|failing|failure[s]?|slo)\b", Options)]
    private static partial Regex ErrorWords();
}
