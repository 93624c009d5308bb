using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// What the incident says about the first fix within a cause, read from the whole of its text (decisions, no I/O):
/// <list type="bullet">
/// <item>a surge with a campaign, sale or launch behind it, or counted in distinct or active users, is customers: scale out; one from hosting networks, one client
/// or key, a client above its contracted rate, bots or login floods is abuse: rate-limit it (more capacity would feed it);</item>
/// <item>a partition that cost a replicated store its quorum or primary (a failover, a split brain, sentinels) is fixed by
/// failing over (otherwise the nearest case's fix or the standard one: route around the cut-off zone or link).</item>
/// </list>
/// It outranks the nearest labelled case's usual fix: it is this incident's own evidence.
/// </summary>
public static partial class RemediationEvidence
{
    public static (string Remediation, string Evidence)? For(string category, string text) => category switch
    {
        "traffic_spike" => Traffic(text),
        "network_partition" => Replicated().Match(text) is { Success: true } m
            ? ("failover", $"a replicated store lost its quorum or primary ('{m.Value}'): fail over")
            : null,
        _ => null,
    };

    private static (string, string)? Traffic(string text)
    {
        var organic = Organic().Match(text);
        if (organic.Success)
        {
            return ("scale_out", $"the surge has a reason customers come for ('{organic.Value}'): scale out");
        }

        var abusive = Abusive().Match(text);
        return abusive.Success ? ("rate_limit", $"the surge looks like abuse ('{abusive.Value}'): rate-limit it") : null;
    }

    [GeneratedRegex(@"(?i)\b(campaign|promo(tion)?s?|sale|marketing|launch(es|ed)?|newsletter|email sent|push notification|tv|seasonal|holiday|organic|viral|black friday|flash|(distinct|unique|active|concurrent) users)\b")]
    private static partial Regex Organic();

    // "bot score" is a measurement, not bots; hosting networks are where scrapers and floods come from, not customers.
    [GeneratedRegex(@"(?i)\b(bots?(?! ?score)|scraper|crawler|credential stuffing|ddos|abuse\w*|api[_ ]key|single client|one client|top client|contract\w*|login attempts|brute[- ]force|ovh|digitalocean|hetzner|linode|vultr|choopa|m247|leaseweb|contabo|tor exit)\b")]
    private static partial Regex Abusive();

    // "no failover", "failover not triggered": a store that did not fail over is not the fix's subject.
    [GeneratedRegex(@"(?i)(?<!\b(no|not|without|never|didn't|did not|nor)[ -])\b(fail ?over(?! (not|never|would not|wouldn't|won't|will not))|quorum|split[- ]brain|sentinels?|leader election)\b")]
    private static partial Regex Replicated();
}
