using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// Evidence in figures and forms rather than words: a certificate date that has passed (or is a day away), a disk or
/// inode figure at 90% or more, few days of validity left, a configuration diff carried by an alert (a "diff" field or
/// removed/added line pairs). A figure is read only next to the words that say what it measures, so "98%" of CPU is
/// not disk evidence. Decisions only: no I/O, the clock comes in.
/// </summary>
public static partial class NumericEvidence
{
    public static IEnumerable<(string Category, double Strength, string Evidence)> Find(string text, DateTimeOffset now)
    {
        foreach (Match m in CertificateDate().Matches(text))
        {
            if (DateTimeOffset.TryParse(m.Groups["date"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) && date <= now.AddDays(1))
            {
                yield return ("certificate_expiry", 0.7, $"certificate date {m.Groups["date"].Value} is {(date <= now ? "past" : "within a day")}");
            }
        }

        foreach (Match m in DaysLeft().Matches(text))
        {
            if (double.TryParse(m.Groups["days"].Value, CultureInfo.InvariantCulture, out var days) && days <= 2)
            {
                yield return ("certificate_expiry", 0.6, $"'{m.Value.Trim()}': validity nearly gone");
            }
        }

        if (ConfigDiff().Match(text) is { Success: true } diff)
        {
            yield return ("config_error", 0.6, $"a configuration diff in the alerts: '{IncidentText.Clip(diff.Value.Trim(), 60)}'");
        }

        foreach (Match m in StoragePercent().Matches(text))
        {
            var value = m.Groups["pct"].Success ? m.Groups["pct"].Value : m.Groups["pct2"].Value;
            // iostat's %util (and busy, I/O wait) is the time a disk is busy, not how full it is, whether the word comes before
            // the figure ("util 99%") or after it ("nvme2n1 99% busy").
            if (double.TryParse(value, CultureInfo.InvariantCulture, out var percent) && percent >= 90 && percent <= 100 && !DiskBusy().IsMatch(m.Value)
                && !DiskBusy().IsMatch(text.AsSpan(m.Index + m.Length, Math.Min(BusyLookAhead, text.Length - m.Index - m.Length))))
            {
                var inodes = m.Value.Contains("inode", StringComparison.OrdinalIgnoreCase);
                yield return ("disk_full", inodes ? 0.7 : 0.6, $"'{m.Value.Trim()}': {(inodes ? "inodes" : "space")} at {percent:0.#}%");
            }
        }

        // Windows tools, PRTG's "Disk Free" and Zabbix's "Free disk space is less than 5%" give what is left, not what is used
        // (Zabbix's "swap space ... less than 10% free" is memory, not disk).
        foreach (Match m in FreeSpacePercent().Matches(text))
        {
            if (double.TryParse(m.Groups["pct"].Value, CultureInfo.InvariantCulture, out var free) && free <= 10)
            {
                yield return ("disk_full", 0.6, $"'{IncidentText.Clip(m.Value.Trim(), 60)}': {free:0.#}% free");
            }
        }

        if (NoFreeBytes().Match(text) is { Success: true } none)
        {
            yield return ("disk_full", 0.6, $"'{IncidentText.Clip(none.Value.Trim(), 60)}': no free space left");
        }

        // Memory that grows at a steady rate (so many MB an hour, GB a day) is the signature of a leak, whatever the counter
        // is called (heap, RSS, private bytes, a kernel pool); a host with almost no memory available is where it ends.
        if (MemoryGrowth().Match(text) is { Success: true } growth)
        {
            yield return ("memory_leak", 0.6, $"'{IncidentText.Clip(growth.Value.Trim(), 70)}': memory grows at a steady rate");
        }

        foreach (Match m in MemoryAvailable().Matches(text))
        {
            if (double.TryParse(m.Groups["pct"].Value, CultureInfo.InvariantCulture, out var available) && available <= 5)
            {
                yield return ("memory_leak", 0.4, $"'{IncidentText.Clip(m.Value.Trim(), 60)}': memory nearly gone");
                break;
            }
        }

        // A port range or a NAT pool used to its last slot ("ports 28,200/28,232", "SNAT pool 100% allocated"): no new
        // connection can be opened, whatever the load; that is the exhaustion itself. Threads, worker processes and replicas
        // at their maximum are not here: "busy threads 200/200" is what every request waiting on a failing dependency or a
        // lock looks like from the host, the consequence rather than the cause, and their words are read already.
        foreach (Match m in PoolInFigures().Matches(text))
        {
            var full = m.Groups["pct"].Success
                ? double.TryParse(m.Groups["pct"].Value, CultureInfo.InvariantCulture, out var pct) && pct >= 98 && pct <= 100
                : Figure(m.Groups["a"].Value, "") is { } a && Figure(m.Groups["b"].Value, "") is { } b && b >= 8 && a / b is >= 0.98 and <= 1;
            if (full)
            {
                yield return ("resource_exhaustion", 0.5, $"'{IncidentText.Clip(m.Value.Trim(), 60)}': used to its limit");
                break;
            }
        }
    }

    /// <summary>
    /// The highest CPU figure the alerts give (percent), or null. Saturated threads with idle CPUs are waiting on
    /// something (a dependency, a lock), not computing; a CPU at its limit is what work or a surge looks like.
    /// </summary>
    public static double? CpuPercent(string text) =>
        CpuFigure().Matches(text).Select(m => double.TryParse(m.Groups["pct"].Value, CultureInfo.InvariantCulture, out var v) && v <= 100 ? v : (double?)null)
            .Where(v => v is not null).DefaultIfEmpty(null).Max();

    /// <summary>
    /// Where the alerts say the request rate is flat ("request rate steady", "rps, unchanged", "within 4% of the
    /// baseline"), the words that say so: a surge is then not what happened, whatever else mentions traffic.
    /// </summary>
    public static string? TrafficFlat(string text) => FlatTraffic().Match(text) is { Success: true } m ? m.Value : FlatInFigures(text);

    /// <summary>
    /// The request rate as a figure beside its usual one, within a quarter of it ("Inbound QPS 312k, 7d same-hour baseline
    /// 305k", "1,200 rps vs 1,150 rps last week"): flat, said in figures rather than words.
    /// </summary>
    private static string? FlatInFigures(string text)
    {
        foreach (var regex in new[] { SurgeAgainst(), RateBesideBaseline() })
        {
            foreach (Match m in regex.Matches(text))
            {
                var (a, b) = (Figure(m.Groups["a"].Value, m.Groups["au"].Value), Figure(m.Groups["b"].Value, m.Groups["bu"].Value));
                if (!IsShareOfTheRate(text, m) && a is > 0 && b is > 0 && a / b is >= 0.8 and <= 1.25)
                {
                    return IncidentText.Clip(m.Value.Trim(), 80);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Where the alerts give the request rate as a figure against its usual one at least twice over ("4.1x", "412k/min
    /// (7.1x)", "9,400 rps vs 780 rps baseline", "14,300 req/s (same hour last week 2,050 req/s)"), the words that say so: a surge in figures, whatever the tool calls
    /// it, is what makes saturation (a pool rejecting, an autoscaler at its maximum, a high load average) its effect.
    /// Hand-written: the figures of a rate beside the words that name it, which no library reads.
    /// </summary>
    public static string? TrafficSurge(string text)
    {
        foreach (Match m in SurgeMultiple().Matches(text))
        {
            if (!IsShareOfTheRate(text, m) && double.TryParse(m.Groups["x"].Value, CultureInfo.InvariantCulture, out var x) && x >= 2 && x <= 1000)
            {
                return $"'{IncidentText.Clip(m.Value.Trim(), 60)}': the request rate {x:0.#}x its usual";
            }
        }

        foreach (Match m in SurgeAgainst().Matches(text))
        {
            var (a, b) = (Figure(m.Groups["a"].Value, m.Groups["au"].Value), Figure(m.Groups["b"].Value, m.Groups["bu"].Value));
            if (!IsShareOfTheRate(text, m) && a is > 0 && b is > 0 && a / b >= 2)
            {
                return $"'{IncidentText.Clip(m.Value.Trim(), 60)}': the request rate {a / b:0.#}x its usual";
            }
        }

        return null;
    }

    /// <summary>
    /// A figure said of a share of the rate rather than of the rate itself: per instance ("per-pod request rate 4.8x":
    /// fewer pods serving, not more requests), per request ("CPU seconds per 1k requests up 4.1x": each request costs
    /// more), or requests in flight ("in-flight requests 9x": answered slower, not arriving faster). None of them says more
    /// requests arrive, so none is a surge; a rate per unit of time ("per second", "per min") is the rate.
    /// </summary>
    private static bool IsShareOfTheRate(string text, Match m)
    {
        var from = Math.Max(0, m.Index - ShareLookBehind);
        return ShareOfTheRate().IsMatch(text.AsSpan(from, m.Index + m.Length - from));
    }

    private const int ShareLookBehind = 20;

    /// <summary>How far after a disk figure a word saying it is busy time rather than space is looked for ("99% busy").</summary>
    private const int BusyLookAhead = 12;

    [GeneratedRegex(@"(?i)\b(in-?flight|concurrent|outstanding|per[- ](?!(second|sec|s|minute|min|m|hour|hr|h|day|d|week|cent)\b)(\d[\d,.]*k? )?[a-z][\w-]*)")]
    private static partial Regex ShareOfTheRate();

    /// <summary>
    /// Where the alerts give one figure for two versions side by side (<c>{"9.0.2": 1740, "9.0.3": 1760}</c>, "p99 new at
    /// equal load": 182 beside "p99 old at equal load": 179): 1 when the versions differ (one at half the other or less: the
    /// new release behaves differently), -1 when they are alike (within 20 %: a deploy is a bystander), with the words
    /// that say so; null where no such pair is given. The first decisive pair counts. Hand-written: figures keyed by
    /// version, which no library reads.
    /// </summary>
    public static (int Verdict, string Said)? VersionsCompared(string text)
    {
        foreach (var m in VersionPair().Matches(text).Concat(OldNewPair().Matches(text)))
        {
            if (m.Groups["k1"].Value == m.Groups["k2"].Value
                || !double.TryParse(m.Groups["a"].Value, CultureInfo.InvariantCulture, out var a)
                || !double.TryParse(m.Groups["b"].Value, CultureInfo.InvariantCulture, out var b)
                || Math.Max(a, b) <= 0)
            {
                continue;
            }

            var ratio = Math.Min(a, b) / Math.Max(a, b);
            var said = IncidentText.Clip(m.Value.Trim(), 60);
            if (ratio <= VersionsDiffer)
            {
                return (1, said);
            }

            if (ratio >= VersionsAlike)
            {
                return (-1, said);
            }
        }

        return null;
    }

    private const double VersionsDiffer = 0.5;
    private const double VersionsAlike = 0.8;

    // Two adjacent JSON fields keyed by a version ("9.0.2", "v5.11.4 (last 24h)") with a figure each.
    [GeneratedRegex(@"""v?(?<k1>\d+\.\d+(\.\d+)?)[^""]{0,12}""\s*:\s*(?<a>\d+(\.\d+)?)\s*,\s*""v?(?<k2>\d+\.\d+(\.\d+)?)[^""]{0,12}""\s*:\s*(?<b>\d+(\.\d+)?)")]
    private static partial Regex VersionPair();

    // Two adjacent JSON fields for the new and the old release ("p99 new at equal load ms": 182, "p99 old ...": 179).
    [GeneratedRegex(@"(?i)""[^""]{0,30}\b(?<k1>new|canary)\b[^""]{0,30}""\s*:\s*(?<a>\d+(\.\d+)?)\s*,\s*""[^""]{0,30}\b(?<k2>old|stable|previous)\b[^""]{0,30}""\s*:\s*(?<b>\d+(\.\d+)?)")]
    private static partial Regex OldNewPair();

    private static double? Figure(string digits, string unit) =>
        double.TryParse(digits.Replace(",", ""), CultureInfo.InvariantCulture, out var v)
            ? v * (unit.ToLowerInvariant() switch { "k" => 1e3, "m" => 1e6, _ => 1 })
            : null;

    private const string RateWords = @"\b((request|message|call|transaction|submit|arrival|login|registration|signup|order|search|checkout)s? (rate|count|volume)|requests|rps|rpm|qps|tps|req/s|throughput|traffic|calls|logins|registrations|messages|transactions)\b";

    [GeneratedRegex(@"(?i)" + RateWords + @"[^;\n]{0,60}?(?<![\d.])(?<x>\d+(\.\d+)?) ?(x|×)(?!\w)")]
    private static partial Regex SurgeMultiple();

    [GeneratedRegex(@"(?i)" + RateWords + @"[^;\n]{0,40}?(?<![\d.,])(?<a>\d[\d,]*(\.\d+)?) ?(?<au>[km])?(/\w+| ?(rps|rpm|qps|req/s|requests?|calls)(/\w+| per \w+)?)?(\s+(vs\.?|versus|against|compared (to|with))\s+|[^()\d;\n]{0,15}\((baseline|normal|usual|typical|expected|same|last|an? hour|yesterday|forecast)[^)\d]{0,30}?)(?<b>\d[\d,]*(\.\d+)?)(?!\d|[,.]\d|:\d) ?(?<bu>[km])?(?! ?%)")]
    private static partial Regex SurgeAgainst();

    [GeneratedRegex(@"(?i)" + RateWords + @"[^;\n]{0,40}?(?<![\d.,])(?<a>\d[\d,]*(\.\d+)?) ?(?<au>[km])?(/\w+| ?(rps|rpm|qps|req/s|requests?|calls)(/\w+| per \w+)?)?[,;]?\s+(\d+ ?d(ays?)?\b|\d+-day\b)?[^()\d;\n]{0,25}?\b(baseline|normal|usual|typical|expected|last week)\b[^\d;\n]{0,20}?(?<b>\d[\d,]*(\.\d+)?)(?!\d|[,.]\d|:\d) ?(?<bu>[km])?(?! ?%)")]
    private static partial Regex RateBesideBaseline();

    [GeneratedRegex(@"(?i)\b(traffic|request rate|request count|request volume|requests(/s| per second)?|rps|qps|req/s|throughput|load)\b[^.;\n]{0,30}?\b(flat|unchanged|steady|stable|as usual|not elevated|nominal|within (the )?(\d+(\.\d+)? ?% of|weekly|daily|normal)\w*)\b|\b(request rate|traffic|throughput|rps|qps|load) (is )?normal\b|\b(flat|steady|unchanged|stable|normal) (traffic|load|request rate|request volume)\b")]
    private static partial Regex FlatTraffic();

    [GeneratedRegex(@"(?i)\b(free (disk )?space|disk free|(?<!swap )space free)\b[^\n%]{0,40}?(?<pct>\d{1,2}(\.\d+)?) ?%|\b(disk|volume|filesystem|file system|drive|datastore|partition)\b[^\n%]{0,30}?(?<pct>\d{1,2}(\.\d+)?) ?% (free|left|remaining)\b")]
    private static partial Regex FreeSpacePercent();

    [GeneratedRegex(@"(?i)""?\b(free_bytes|bytes_free|free_space|freespace|space_free|disk_free)""?\s*[:=]\s*0\b(?![.,]\d)")]
    private static partial Regex NoFreeBytes();

    [GeneratedRegex(@"(?i)\b(memory|heap|rss|private bytes|working set|pool|bytes)\b[^\n;]{0,60}?\b(growing|grows|grew|grown|rising|rises|rose|climbing|increasing|leaking)\b[^\n;\d]{0,20}?(?<v>\d+(\.\d+)?)(-\d+(\.\d+)?)? ?(kb|mb|gb|kib|mib|gib)\s*(/|per |an? |each )\s*(h|hr|hour|d|day|min|minute)\b")]
    private static partial Regex MemoryGrowth();

    [GeneratedRegex(@"(?i)\b(available|free) (physical )?memory\b[^\n%]{0,30}?(?<pct>\d{1,2}(\.\d+)?) ?%")]
    private static partial Regex MemoryAvailable();

    [GeneratedRegex(@"(?i)\b((ephemeral |source |snat |nat )?ports|(nat|snat|dip|dipp|port) pool)\b[^\n;%]{0,30}?(?<![\d.,])(?<a>\d[\d,]*) ?(/|of) ?(?<b>\d[\d,]*)(?![\d.%]|,\d| ?(replicas|pods|nodes|instances|ready))|\b(nat|snat|dip|dipp|port) pool\b[^\n;%]{0,30}?(?<![\d.])(?<pct>\d{2,3}(\.\d+)?) ?% (utili[sz]ed|used|in use|full|allocated)\b")]
    private static partial Regex PoolInFigures();

    [GeneratedRegex(@"(?i)\b(util|busy|i/?o ?wait|await|iops)\b")]
    private static partial Regex DiskBusy();

    [GeneratedRegex(@"(?i)\bcpu(?:[ _]?utili[sz]ation|[ _]usage)?\b[^\n%]{0,25}?(?<pct>\d{1,3}(?:\.\d+)?) ?%")]
    private static partial Regex CpuFigure();

    // A "diff" field, or a removed line followed by an added one (raw JSON escapes the newline as \n).
    [GeneratedRegex(@"""(diff|config_diff|changed_keys|previous_value|old_value)""\s*:\s*""[^""]{0,80}|(?:^|\\n|\n)\s*-\s*[^\s\\][^\n\\]{2,80}(?:\\n|\n)\s*\+\s*\S[^\n\\]{0,60}")]
    private static partial Regex ConfigDiff();

    [GeneratedRegex(@"(?i)\b(expir\w*|not ?after|valid (until|to|through)|notafter)\b[^\n]{0,40}?(?<date>20\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?Z?)?)")]
    private static partial Regex CertificateDate();

    [GeneratedRegex(@"(?i)\b(?<days>-?\d+(\.\d+)?) ?days? (left|remaining|until expir\w*|to expir\w*)")]
    private static partial Regex DaysLeft();

    // How full, not how much more: a signed figure or one after "up"/"by" ("request volume +92%") is a change.
    [GeneratedRegex(@"(?i)\b(disk|filesystem|file system|volume|inodes?|space|storage|pvc|mount\w*|partition)\b[^\n%]{0,40}?(?<!(\+|±|\bup |\bby |\bgrew |\brose |\bincreased? ))\b(?<pct>\d{2,3}(\.\d+)?) ?%|\b(?<pct2>\d{2,3}(\.\d+)?) ?% (of )?(the )?(disk|filesystem|volume|inodes?|space|storage)\b")]
    private static partial Regex StoragePercent();
}
