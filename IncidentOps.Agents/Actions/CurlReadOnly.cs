using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Actions;

/// <summary>
/// Whether a curl command only reads. An allowlist, not a list of bad flags: curl has hundreds of options
/// and several spellings of each (<c>-d@file</c>, <c>-sd x</c>, <c>--data-binary=@f</c>, <c>--json</c>,
/// <c>-K config</c>), so anything not known to be harmless makes the command a change that needs approval.
/// </summary>
public static partial class CurlReadOnly
{
    // Short flags that take no value and neither send nor write anything.
    private const string PlainShort = "sSfLiIvk";

    private static readonly HashSet<string> PlainLong = new(StringComparer.Ordinal)
    {
        "--silent", "--show-error", "--fail", "--fail-with-body", "--location", "--include", "--head", "--verbose", "--insecure", "--compressed",
    };

    // Options with a value that changes only how the request is made or shown. -X/--request is here but only GET and HEAD pass.
    private static readonly Dictionary<char, string> ValueShort = new() { ['H'] = "--header", ['m'] = "--max-time", ['X'] = "--request", ['A'] = "--user-agent", ['w'] = "--write-out" };

    private static readonly HashSet<string> ValueLong = new(StringComparer.Ordinal) { "--header", "--max-time", "--connect-timeout", "--request", "--user-agent", "--write-out", "--retry" };

    public static bool IsReadOnly(string command)
    {
        var tokens = Tokens().Matches(command).Select(m => Unquote(m.Value)).ToList();
        if (tokens.Count < 2 || !tokens[0].Equals("curl", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var urls = 0;
        for (var i = 1; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (Url().IsMatch(token))
            {
                urls++;
            }
            else if (token.StartsWith("--", StringComparison.Ordinal))
            {
                var (name, value) = token.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq ? (token[..eq], token[(eq + 1)..]) : (token, null);
                if (PlainLong.Contains(name) && value is null)
                {
                    continue;
                }

                if (!ValueLong.Contains(name) || !SafeValue(name, value ?? (++i < tokens.Count ? tokens[i] : null)))
                {
                    return false;
                }
            }
            else if (token.Length > 1 && token[0] == '-')
            {
                // Combined short flags: -sSL, -sXGET, -sH 'Accept: x'. One unknown letter (-sd, -sO, -sT) and it is not read-only.
                for (var c = 1; c < token.Length; c++)
                {
                    if (PlainShort.Contains(token[c], StringComparison.Ordinal))
                    {
                        continue;
                    }

                    if (!ValueShort.TryGetValue(token[c], out var name))
                    {
                        return false;
                    }

                    var value = c + 1 < token.Length ? token[(c + 1)..] : (++i < tokens.Count ? tokens[i] : null);
                    if (!SafeValue(name, value))
                    {
                        return false;
                    }

                    break;
                }
            }
            else
            {
                // A bare word that is not an http(s) URL: a file, a second URL scheme, something curl would act on.
                return false;
            }
        }

        return urls > 0;
    }

    private static bool SafeValue(string option, string? value) =>
        value is not null
        // "@file" reads a local file into the request (headers, write-out format): a way to send what is on the box.
        && !value.StartsWith('@')
        && (option != "--request" || value.Equals("GET", StringComparison.OrdinalIgnoreCase) || value.Equals("HEAD", StringComparison.OrdinalIgnoreCase));

    private static string Unquote(string token) =>
        token.Length >= 2 && (token[0] == '"' || token[0] == '\'') && token[^1] == token[0] ? token[1..^1] : token;

    [GeneratedRegex(@"""[^""]*""|'[^']*'|\S+")]
    private static partial Regex Tokens();

    [GeneratedRegex(@"^https?://[^\s""'@]+$", RegexOptions.IgnoreCase)]
    private static partial Regex Url();
}
