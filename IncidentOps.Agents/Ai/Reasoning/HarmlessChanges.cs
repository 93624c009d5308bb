using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// A change that says it touches only what cannot make a service fail — how it logs (level, format, a message), text
/// customers read (a typo, translations, a banner, CSS) — is a bystander, however shortly before the page it landed: in
/// the read batches such a change of the paged service was the cause in 2 of 22 incidents.
/// </summary>
public static partial class HarmlessChanges
{
    public const string Bystander = "it touches only logging or text, likely a bystander";

    public static bool IsHarmless(ChangeEvent change) => Harmless().IsMatch(change.Summary);

    /// <summary>The change in words, and why it is not counted as a suspect.</summary>
    public static string Describe(ChangeEvent change, DateTimeOffset firstAlertAt) =>
        $"{CauseEvidenceReader.DescribeChange(change, firstAlertAt)}: {Bystander}";

    /// <summary>The change in words as the diagnosis lists it: a harmless one says so.</summary>
    public static string Listed(ChangeEvent change, DateTimeOffset firstAlertAt) =>
        IsHarmless(change) ? Describe(change, firstAlertAt) : CauseEvidenceReader.DescribeChange(change, firstAlertAt);

    [GeneratedRegex(@"(?i)\b(log[ _-]?(level|format|verbosity|message|field)s?|logging level|access[ _-]log|typo|translations?|banner|css)\b")]
    private static partial Regex Harmless();
}
