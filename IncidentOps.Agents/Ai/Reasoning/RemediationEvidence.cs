using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// What the incident says about the first fix within a cause, read from the whole of its text (decisions, no I/O):
/// <list type="bullet">
/// <item>a surge with a campaign, sale or launch behind it, or counted in distinct or active users, is customers: scale out; one from hosting networks, one client
/// or key, a client above its contracted rate, bots or login floods is abuse: rate-limit it (more capacity would feed it);
/// a figure outranks those words: the busiest caller's share however it is worded (<see cref="SourceShare"/>): at least
/// 60 % is one caller's surge, rate-limit it; at most 5 % means the surge is spread over many clients (customers, not one
/// abuser): scale out; what the requests are outranks every reason customers come: failed
/// sign-ins (credentials tried) or retries (clients repeating what failed) are rate-limited; so is a surge from as many
/// users as usual (the same clients ask more) or with most of it from a few sources ("96% from 37 IPs");</item>
/// <item>a partition that cost a replicated store its quorum or primary (a failover, a split brain, sentinels) is fixed by
/// failing over ("no quorum" is a quorum lost, only "no failover" negates; a quorum kept, "has quorum 2/3", or a consistency
/// level, EACH_QUORUM, is none) (otherwise the nearest case's fix or the standard one: route around the cut-off zone or link);</item>
/// <item>a leak in processes that have run longer than the change window (an uptime or pod age of days) is older than any
/// change the diagnosis reads, or whose figures are compared with days ago ("baseline 6 days ago"): restart them, a
/// rollback would not help (a deploy shortly before is a bystander);</item>
/// <item>a process out of its own handles (file descriptors, sockets stuck in CLOSE_WAIT, native threads) holds what it
/// leaked: a restart frees it, more replicas would not (a pool, CPU or capacity limit is scaled out, the standard fix).</item>
/// </list>
/// It outranks the nearest labelled case's usual fix: it is this incident's own evidence.
/// </summary>
public static partial class RemediationEvidence
{
    /// <summary>The start of the evidence that a leak is older than the changes read (the first fix then is a restart, not a rollback).</summary>
    public const string LeakOlderThanChanges = "the leak is older than the changes read:";

    /// <summary>Processes older than this predate every change the diagnosis reads (its change window).</summary>
    private static readonly TimeSpan OlderThanChanges = CauseEvidenceReader.ChangeWindow;

    public static (string Remediation, string Evidence)? For(string category, string text) => category switch
    {
        "memory_leak" => ProcessAge(text) is var (age, said) && age >= OlderThanChanges
            ? ("restart", $"{LeakOlderThanChanges} its processes have run for {age.TotalHours:0}h ('{said}'): restart them")
            : LeakFiguresSince(text) is var (since, from) && since >= OlderThanChanges
                ? ("restart", $"{LeakOlderThanChanges} its figures go back {since.TotalDays:0} days ('{from}'): restart them")
                : null,
        "resource_exhaustion" => HandleLimit().Match(text) is { Success: true } handles
            ? ("restart", $"a process is out of its own handles ('{handles.Value}'): a restart frees what it holds")
            : null,
        "traffic_spike" => Traffic(text),
        "network_partition" => Replicated().Match(text) is { Success: true } m
            ? ("failover", $"a replicated store lost its quorum or primary ('{m.Value}'): fail over")
            : null,
        _ => null,
    };

    /// <summary>The longest process age or uptime the text gives ("uptime 19d 4h", "pod age 6d9h", "since pod start 7h ago").</summary>
    public static (TimeSpan Age, string Said)? ProcessAge(string text) =>
        Age().Matches(text).Select(m =>
        {
            var n = double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var hours = char.ToLowerInvariant(m.Groups["unit"].Value[0]) switch { 'w' => n * 168, 'd' => n * 24, _ => n };
            return ((TimeSpan Age, string Said)?)(TimeSpan.FromHours(hours), m.Value);
        }).MaxBy(x => x!.Value.Age);

    /// <summary>
    /// The longest "N days/weeks ago" the text gives ("old gen after-GC baseline 6 days ago", "goroutines 4d_ago: 1210"): a
    /// leak whose figures are compared with days ago grew over days, longer than any change the diagnosis reads.
    /// </summary>
    public static (TimeSpan Since, string Said)? LeakFiguresSince(string text) =>
        DaysAgo().Matches(text).Select(m =>
        {
            var n = double.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var days = char.ToLowerInvariant(m.Groups["unit"].Value[0]) == 'w' ? n * 7 : n;
            return ((TimeSpan Since, string Said)?)(TimeSpan.FromDays(days), m.Value);
        }).MaxBy(x => x!.Value.Since);

    private static (string, string)? Traffic(string text)
    {
        // What the requests are outranks why customers might come: a surge of failed sign-ins is someone trying stolen
        // passwords, a surge of retries is clients repeating what failed; more capacity would serve either more of it.
        var failing = FailedAuthentication().Match(text);
        if (failing.Success)
        {
            return ("rate_limit", $"the surge is failed sign-ins ('{failing.Value}'): someone is trying credentials, rate-limit it");
        }

        var retrying = RetryStorm().Match(text);
        if (retrying.Success)
        {
            return ("rate_limit", $"the surge is clients retrying ('{retrying.Value}'): shed or rate-limit the retries");
        }

        var organic = Organic().Match(text);
        if (organic.Success)
        {
            return ("scale_out", $"the surge has a reason customers come for ('{organic.Value}'): scale out");
        }

        // What the clients do (bots, login floods, over contract) is abuse however many they are; how concentrated the
        // surge is comes from the top client's share where a figure gives it, from the words ("top client") otherwise.
        var abusive = Abusive().Match(text);
        if (abusive.Success)
        {
            return ("rate_limit", $"the surge looks like abuse ('{abusive.Value}'): rate-limit it");
        }

        // As many users as usual sending many times the requests: the same clients ask more (a client bug, a script), not
        // more customers; "requests per session normal" says the opposite and is not read here.
        var flat = FlatPopulation().Match(text);
        if (flat.Success)
        {
            return ("rate_limit", $"the surge comes from as many users as usual ('{flat.Value}'): the same clients ask more, rate-limit them");
        }

        if (FewSources(text) is { } few)
        {
            return ("rate_limit", $"most of the surge comes from a few sources ('{few}'): rate-limit them");
        }

        // The busiest single caller's share, however the alert words it (SourceShare): most of the requests from one
        // caller is that caller's surge, a sliver is one of many.
        switch (SourceShare.Top(text))
        {
            case var (share, said) when share >= OneCallerShare:
                return ("rate_limit", $"one caller sends {share:0.##%} of the requests ('{said}'): rate-limit it");
            case var (share, said) when share <= SpreadShare:
                return ("scale_out", $"the top client sends only {share:0.##%} of the requests ('{said}'): the surge is many clients, scale out");
        }

        var concentrated = Concentrated().Match(text);
        return concentrated.Success ? ("rate_limit", $"the surge looks like abuse ('{concentrated.Value}'): rate-limit it") : null;
    }

    /// <summary>A top client at or under this share of the requests is one of many: the surge is not one abuser.</summary>
    private const double SpreadShare = 0.05;

    /// <summary>
    /// One caller at or above this share sends most of the surge: rate-limit it. Well above half rather than half: a bare
    /// majority is also what the larger of two partners that always send the traffic looks like ("Switch A 54%, Switch B 46%").
    /// </summary>
    private const double OneCallerShare = 0.6;

    /// <summary>A share of the requests (at least <see cref="FewSourcesShare"/>) from a few sources (at most
    /// <see cref="FewSourcesCount"/>): "96% from 37 IPs", "81 % of requests from 3 clients"; null otherwise.</summary>
    public static string? FewSources(string text) =>
        ShareFromSources().Matches(text)
            .Where(m => double.Parse(m.Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture) >= FewSourcesShare * 100
                && int.Parse(m.Groups["k"].Value.Replace(",", string.Empty), System.Globalization.CultureInfo.InvariantCulture) <= FewSourcesCount)
            .Select(m => m.Value).FirstOrDefault();

    private const double FewSourcesShare = 0.5;
    private const int FewSourcesCount = 100;

    [GeneratedRegex(@"(?i)\b(?<v>\d+(\.\d+)?) ?% (of (the )?(requests|traffic|calls|messages) )?from (?<k>\d[\d,]*) (distinct |unique )?(ips?|clients?|addresses|hosts|sources|keys|api keys|consumers|tenants|accounts|devices)\b")]
    private static partial Regex ShareFromSources();

    // Sign-ins that fail: "invalid_credentials", "BadCredentialsException", "failed sign-ins", "Login failure ratio",
    // "401 Unauthorized".
    [GeneratedRegex(@"(?i)\b(invalid[ _]credentials|bad ?credentials\w*|failed[ _-](logins?|log-ins?|sign[ _-]?ins?|auth\w*)|(login|log-in|sign[ _-]?in|auth\w*)[ _-]fail\w*|401 unauthori[sz]ed)\b")]
    private static partial Regex FailedAuthentication();

    // Clients repeating failed requests: retry counters, storms of re-attaches or reconnects, no backoff.
    [GeneratedRegex(@"(?i)\b(retry storm|retry[ _-]attempts?|retries per|re-?attach(es|ing)? storm|signall?ing storm|reconnect(ion)? storm|thundering herd|no backoff|without backoff)\b")]
    private static partial Regex RetryStorm();

    // As many users, sessions or players as usual ("ccu 171k (normal for the hour)", "active_sessions: in line with normal",
    // "logged-in app traffic normal", "no increase in real subscribers"); "requests per session normal" is not one.
    [GeneratedRegex(@"(?i)\b(?<!per )(?:(?:users?|sessions?|subscribers?|players?|ccu|customers?|devices?|population|app traffic)\b[^\n\d;,.]{0,30}?(?:\b[\d.,]+k?\b[^\n\d;,.]{0,10}?)?\(?\b(?:normal|unchanged|flat|stable|in line|steady|at baseline)\b|no (?:increase|rise|growth) in (?:\w+ ){0,2}(?:users|sessions|subscribers|players|customers|devices))")]
    private static partial Regex FlatPopulation();

    // "6 days ago", "4d ago" (from "4d_ago"), "2 weeks ago". Hours are not enough: "3h ago" is inside the change window.
    [GeneratedRegex(@"(?i)\b(?<n>\d+(\.\d+)?) ?(?<unit>d|days?|w|weeks?)[ _]ago\b")]
    private static partial Regex DaysAgo();

    // An age or uptime of the processes, with its figure and unit (days, hours, weeks; "6d 3h" counts its days).
    [GeneratedRegex(@"(?i)\b(age|aged|uptime|up|up for|running for|alive for|since (pod |process |container |worker )?start(ed)?|started)\b[^\d\n]{0,20}?(?<n>\d+(\.\d+)?) ?(?<unit>d|days?|h|hrs?|hours?|w|weeks?)( ?\d+ ?h)?\b")]
    private static partial Regex Age();

    // Handles a process holds and leaks (descriptors, half-closed sockets, native threads). TIME_WAIT alone is not one: a
    // busy client's churn leaves it too.
    [GeneratedRegex(@"(?i)\b(too many open files|emfile|file[ -]descriptors?|open fds|close[ _]wait|unable to create (new )?native thread|tasksmax)\b")]
    private static partial Regex HandleLimit();

    [GeneratedRegex(@"(?i)\b(campaign|promo(tion)?s?|sale|marketing|launch(es|ed)?|newsletter|email sent|push notification|tv|seasonal|holiday|organic|viral|black friday|flash|(distinct|unique|active|concurrent) users)\b")]
    private static partial Regex Organic();

    // "bot score" is a measurement, not bots; hosting networks are where scrapers and floods come from, not customers.
    [GeneratedRegex(@"(?i)\b(bots?(?! ?score)|scraper|crawler|credential stuffing|ddos|abuse\w*|contract\w*|login attempts|brute[- ]force|ovh|digitalocean|hetzner|linode|vultr|choopa|m247|leaseweb|contabo|tor exit)\b")]
    private static partial Regex Abusive();

    // The surge concentrated in one caller, in words.
    [GeneratedRegex(@"(?i)\b(api[_ ]key|single client|one client|top client)\b")]
    private static partial Regex Concentrated();

    // "no failover", "failover not triggered": a store that did not fail over is not the fix's subject. A quorum counts only
    // lost ("no quorum", "quorum lost", "not a quorum"): a cluster that "has quorum 2/3" kept it, and EACH_QUORUM or
    // LOCAL_QUORUM is a consistency level whose writes fail because a site is cut off (route around it).
    // A firewall, router or switch pair failing over ("fw-dc2-cluster failover at 11:02") is the network's own HA, part of
    // the cut rather than a store to fail over: traffic is routed around it.
    [GeneratedRegex(@"(?i)(?<!\b(no|not|without|never|didn't|did not|nor)[ -])(?<!\b(fw|firewall|router|switch|vrrp|hsrp|asa|fortigate|pan|palo alto)[\w-]{0,20}[ -])\bfail ?over\b(?! (not|never|would not|wouldn't|won't|will not))|\b(split[- ]brain|sentinels?|leader election|(no|lost|loses|losing|without|not a|lack of|below) quorum|quorum (lost|loss|unavailable|not (reached|met|available)))\b")]
    private static partial Regex Replicated();
}
