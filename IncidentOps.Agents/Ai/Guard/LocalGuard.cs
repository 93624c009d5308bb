using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Guard;

/// <summary>
/// The local guard: redacts PII and secrets before any text leaves for a model and flags prompt-injection
/// markers in alert text (alert text is untrusted input). Which actions wait for a person is <c>Actions.ActionPolicy</c>'s to say.
/// </summary>
public static partial class LocalGuard
{
    // Order matters: secrets and IPs first, so a phone pattern never eats part of a key or an address.
    private static readonly (string Kind, Regex Pattern, string Replacement)[] Redactors =
    [
        ("aws_access_key", AwsAccessKey(), "[AWS_KEY]"),
        ("aws_secret_key", AwsSecretKey(), "$1[AWS_SECRET]"),
        ("jwt", Jwt(), "[TOKEN]"),
        ("bearer_token", Bearer(), "Bearer [TOKEN]"),
        ("vendor_token", VendorToken(), "[TOKEN]"),
        ("credential", KeyValueSecret(), "$1=[TOKEN]"),
        ("email", Email(), "[EMAIL]"),
        ("ipv4", IPv4(), "[IP]"),
        ("ipv6", IPv6(), "[IP]"),
        ("phone", Phone(), "[PHONE]"),
    ];

    private static readonly (string Marker, Regex Pattern)[] InjectionMarkers =
    [
        ("ignore previous instructions", IgnoreInstructions()),
        ("role override", RoleOverride()),
        ("system prompt probe", SystemPrompt()),
        ("chat template tokens", TemplateTokens()),
        ("tool or command coercion", CommandCoercion()),
        ("jailbreak phrasing", Jailbreak()),
    ];

    /// <summary>The text with PII and secrets replaced by placeholders, and what was replaced (kind ×count).</summary>
    public static (string Text, IReadOnlyList<string> Redactions) Redact(string text)
    {
        var redactions = new List<string>();
        foreach (var (kind, pattern, replacement) in Redactors)
        {
            var count = 0;
            text = pattern.Replace(text, m =>
            {
                count++;
                return m.Result(replacement);
            });
            if (count > 0)
            {
                redactions.Add($"{kind} ×{count}");
            }
        }

        return (text, redactions);
    }

    public static IReadOnlyList<string> FindInjectionMarkers(string text) =>
        [.. InjectionMarkers.Where(m => m.Pattern.IsMatch(text)).Select(m => m.Marker)];

    public static GuardVerdict Check(string text)
    {
        var (safe, redactions) = Redact(text);
        var markers = FindInjectionMarkers(text);
        return new GuardVerdict(
            redactions.Count > 0 ? GuardAction.Redacted : GuardAction.Allow, safe, redactions, markers, "local",
            markers.Count > 0 ? $"prompt-injection markers: {string.Join(", ", markers)} (treated as data, never as instructions)" : null);
    }

    [GeneratedRegex(@"\b(?:AKIA|ASIA|AIDA|AROA)[A-Z0-9]{16}\b")]
    private static partial Regex AwsAccessKey();

    [GeneratedRegex(@"(?i)(aws.{0,20}(?:secret|key).{0,20}?[=:]\s*)[A-Za-z0-9/+=]{40}\b")]
    private static partial Regex AwsSecretKey();

    [GeneratedRegex(@"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?i)\bbearer\s+[A-Za-z0-9\-._~+/]{8,}=*")]
    private static partial Regex Bearer();

    [GeneratedRegex(@"\b(?:gh[pousr]_[A-Za-z0-9]{20,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|glpat-[A-Za-z0-9_-]{20,})")]
    private static partial Regex VendorToken();

    [GeneratedRegex(@"(?i)\b(password|passwd|pwd|secret|api[_-]?key|access[_-]?token|auth[_-]?token|token)\s*[=:]\s*[^\s,;""']{4,}")]
    private static partial Regex KeyValueSecret();

    [GeneratedRegex(@"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")]
    private static partial Regex Email();

    [GeneratedRegex(@"\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b")]
    private static partial Regex IPv4();

    [GeneratedRegex(@"(?i)\b(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}\b|\b(?:[0-9a-f]{1,4}:){1,7}:(?:[0-9a-f]{1,4}:){0,6}[0-9a-f]{1,4}\b")]
    private static partial Regex IPv6();

    // Needs separators between groups, so versions (2.3.1), dates (2024-01-15) and plain numbers stay.
    [GeneratedRegex(@"(?<![\w.])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)\s?|\d{2,4}[\s.-])\d{3,4}[\s.-]\d{3,4}(?![\w.])")]
    private static partial Regex Phone();

    [GeneratedRegex(@"(?i)\b(ignore|disregard|forget|override)\b.{0,30}\b(previous|prior|above|earlier|all|your)\b.{0,20}\b(instructions?|prompts?|rules|guidelines)\b")]
    private static partial Regex IgnoreInstructions();

    [GeneratedRegex(@"(?i)\b(you are now|act as|pretend to be|from now on you|new instructions:)")]
    private static partial Regex RoleOverride();

    [GeneratedRegex(@"(?i)\b(system prompt|reveal your (instructions|prompt)|print your (instructions|prompt))\b")]
    private static partial Regex SystemPrompt();

    [GeneratedRegex(@"(<\|im_start\|>|<\|im_end\|>|\[INST\]|\[/INST\]|<\|system\|>|###\s*(system|instruction))", RegexOptions.IgnoreCase)]
    private static partial Regex TemplateTokens();

    [GeneratedRegex(@"(?i)\b(run|execute|call)\b.{0,20}\b(this|the following)\b.{0,10}\b(command|script|tool)\b")]
    private static partial Regex CommandCoercion();

    [GeneratedRegex(@"(?i)\b(jailbreak|do anything now|DAN mode|developer mode)\b")]
    private static partial Regex Jailbreak();
}
