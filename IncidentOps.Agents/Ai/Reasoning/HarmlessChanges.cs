using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>
/// A change that says it touches only what cannot make a service fail — how it logs (level, format, a message), text
/// customers read (a typo, translations, a banner, CSS) — is a bystander, however shortly before the page it landed: in
/// the read batches such a change of the paged service was the cause in 2 of 22 incidents. "Logging" and "logger" count
/// on their own (fifteenth session): "structured logging", "logging changes", "logging.yaml: add a field", "set logger X
/// to INFO" say the same as "log format" and "log level"; in batches 01–42 the paged service's change that says so was
/// the cause (a bad deploy or config error) in none of 24 incidents, while batch-37's "logging.yaml" change was blamed.
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

    [GeneratedRegex(@"(?i)\b(log[ _-]?(level|format|verbosity|message|field)s?|logging|loggers?|access[ _-]log|typo|translations?|banner|css)\b")]
    private static partial Regex Harmless();
}
