using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// Evidence in figures rather than words: a certificate date that has passed (or is a day away), a disk or inode
/// figure at 90% or more, few days of validity left. A figure is read only next to the words that say what it
/// measures, so "98%" of CPU is not disk evidence. Decisions only: no I/O, the clock comes in.
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

        foreach (Match m in StoragePercent().Matches(text))
        {
            var value = m.Groups["pct"].Success ? m.Groups["pct"].Value : m.Groups["pct2"].Value;
            if (double.TryParse(value, CultureInfo.InvariantCulture, out var percent) && percent >= 90 && percent <= 100)
            {
                var inodes = m.Value.Contains("inode", StringComparison.OrdinalIgnoreCase);
                yield return ("disk_full", inodes ? 0.7 : 0.6, $"'{m.Value.Trim()}': {(inodes ? "inodes" : "space")} at {percent:0.#}%");
            }
        }
    }

    [GeneratedRegex(@"(?i)\b(expir\w*|not ?after|valid (until|to|through)|notafter)\b[^\n]{0,40}?(?<date>20\d\d-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d)?Z?)?)")]
    private static partial Regex CertificateDate();

    [GeneratedRegex(@"(?i)\b(?<days>-?\d+(\.\d+)?) ?days? (left|remaining|until expir\w*|to expir\w*)")]
    private static partial Regex DaysLeft();

    [GeneratedRegex(@"(?i)\b(disk|filesystem|file system|volume|inodes?|space|storage|pvc|mount\w*|partition)\b[^\n%]{0,40}?\b(?<pct>\d{2,3}(\.\d+)?) ?%|\b(?<pct2>\d{2,3}(\.\d+)?) ?% (of )?(the )?(disk|filesystem|volume|inodes?|space|storage)\b")]
    private static partial Regex StoragePercent();
}
