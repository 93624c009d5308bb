using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// The share of the requests that the busiest single caller sends (one IP, key, tenant, ASN, account, consumer), read in
/// whatever word order the alert gives it (decisions, no I/O): the share named ("top client IP share 0.02%", "top org
/// share 2.7%"), the caller named before its figure ("Top talker: tenant t-2207 at 92% of ingest requests", "top client
/// IP &lt; 0.1% of traffic"), the figure before the caller ("92% of requests from key K"), or a top-talker record
/// (<c>{"tenant_id": "t-2207", "share": 0.92}</c>). Authors say it in all four ways; before, only the first was read, so a
/// surge from one caller told another way was scaled out.
/// A "client" named by an app or its version ("Top clients: our-app/8.x 71%") is many users' software, not one caller,
/// so the bare word "client" counts only where the share itself is named; a user agent is software too.
/// </summary>
public static partial class SourceShare
{
    /// <summary>The largest single caller's share the text gives, as a fraction, with what said it; null when none.</summary>
    public static (double Share, string Said)? Top(string text) =>
        Named().Matches(text).Concat(Before().Matches(text)).Concat(After().Matches(text))
            .Select(m => ((double Share, string Said)?)(Fraction(m), m.Value.Trim()))
            .Concat(Records(text))
            .MaxBy(x => x!.Value.Share);

    /// <summary>A figure as a fraction: with "%", or a bare figure above 1, it is a percentage.</summary>
    private static double Fraction(Match m)
    {
        var v = double.Parse(m.Groups["v"].Value, CultureInfo.InvariantCulture);
        return m.Groups["pct"].Success || v > 1 ? v / 100 : v;
    }

    /// <summary>
    /// A share field of a JSON record that names one caller (<c>"tenant_id"</c>, <c>"api key"</c>, <c>"asn"</c>...) in the same
    /// object, before or after the share: a top-talker list's entry. Shares of other things (a version, a header, a
    /// campaign, authenticated requests) are not named <c>share</c> alone and are not read.
    /// </summary>
    private static IEnumerable<(double Share, string Said)?> Records(string text)
    {
        foreach (Match m in ShareField().Matches(text))
        {
            var start = text.LastIndexOfAny(['{', '}'], m.Index);
            var end = text.IndexOfAny(['{', '}'], m.Index + m.Length);
            var record = text[(start < 0 ? 0 : start)..(end < 0 ? text.Length : end)];
            if (CallerField().IsMatch(record))
            {
                yield return (Fraction(m), m.Value.Trim());
            }
        }
    }

    // The caller kinds; "user" but not "user agent" (software, not one caller).
    private const string Caller = @"(?:client[ _-]?)?(?:ips?|ip[ _]address(?:es)?|address|asns?|as|api[ _-]?keys?|keys?|tenants?|orgs?|organi[sz]ations?|accounts?|consumers?|callers?|subnets?|/24|/16|users?(?![ _-]?agent)|sources?|talkers?)";

    // "top client IP share 0.02%", "top_client_ip_share": 0.002, "topIpShare": 0.002 (read as "top Ip Share"), "top org share 2.7%".
    [GeneratedRegex(@"(?i)\btop[ _-]?(?:client[ _-]?)?" + Caller + @"?[ _-]?share""?\s*[:=]?\s*""?\s*[<≤~]?\s*(?<v>\d+(?:\.\d+)?)\s*(?<pct>%)?")]
    private static partial Regex Named();

    // The caller, then its figure on the same line: "Top talker: tenant t-2207 at 92% of ingest requests", "top talkers (5m):
    // api_key=pk_live_x 88% of requests", "top client IP < 0.1% of traffic", "top ASN AS16276 OVH sends 52% of requests".
    [GeneratedRegex(@"(?i)\btop[ _-]?" + Caller + @"\b(?:\s*\([^)\n]{0,12}\))?\s*[:=]?[^\n%;|{}\[\]]{0,60}?(?<![\d.])[<≤~]?\s*(?<v>\d+(?:\.\d+)?)\s?(?<pct>%)")]
    private static partial Regex Before();

    // The figure, then one caller: "92% of requests from key K", "88 % of the traffic comes from tenant acme". A count of
    // callers ("96% from 37 IPs") is a few sources, read by RemediationEvidence.FewSources.
    [GeneratedRegex(@"(?i)(?<v>\d+(?:\.\d+)?)\s?(?<pct>%) of (?:the |all )?(?:[\w-]+ ){0,2}(?:requests|traffic|queries|calls|ingest|messages|load)\b (?:(?:comes?|is|are|arrives?) )?from (?:a single |one |the )?(?:client[ _-]?)?(?:ip|address|asn|api[ _-]?key|key|tenant|org|organi[sz]ation|account|consumer|caller|subnet|user(?![ _-]?agent))\b")]
    private static partial Regex After();

    // "share": 0.92, "share_of_requests": "78%", "share pct": 27, "asn_share": "71%", "share of requests top key": 0.83.
    [GeneratedRegex(@"(?i)""(?:(?:ip|asn|key|tenant|client|consumer|account)[ _])?share(?:[ _]of[ _](?:requests|traffic)(?:[ _]top[ _]key)?|[ _]pct)?""\s*:\s*""?(?<v>\d+(?:\.\d+)?)\s*(?<pct>%)?")]
    private static partial Regex ShareField();

    // A field naming one caller in the same record: "tenant_id":, "api key":, "client_ip":, "asn":, "top_asns":, "consumer":.
    [GeneratedRegex(@"(?i)""(?:\w+[ _])?(?:tenant|api[ _]?key|key|ip|asn|consumer|account|org|caller|client)(?:[ _](?:id|ip|name|asn|org))?s?""\s*:")]
    private static partial Regex CallerField();
}
