using System.Text.RegularExpressions;

namespace IncidentOps.Agents.Ai.Retrieval;

/// <summary>A markdown runbook: its title, its read-only commands, and its remediations (which wait for approval).</summary>
public sealed partial record Runbook(string File, string Title, string Text, IReadOnlyList<string> ReadOnlyCommands, IReadOnlyList<string> Remediations)
{
    public static Runbook Parse(string file, string markdown)
    {
        var title = Heading().Match(markdown) is { Success: true } h ? h.Groups[1].Value.Trim() : Path.GetFileNameWithoutExtension(file);
        return new Runbook(file, title, markdown, Section(markdown, "Read-only commands", code: true), Section(markdown, "Remediation", code: false));
    }

    public static IReadOnlyList<Runbook> LoadFolder(string folder) =>
        Directory.Exists(folder)
            ? [.. Directory.EnumerateFiles(folder, "*.md").Order(StringComparer.Ordinal).Select(f => Parse(Path.GetFileName(f), System.IO.File.ReadAllText(f)))]
            : [];

    /// <summary>The items (list entries, or lines of code blocks) of the section whose heading starts with <paramref name="heading"/>.</summary>
    private static List<string> Section(string markdown, string heading, bool code)
    {
        var items = new List<string>();
        var inSection = false;
        var inCode = false;
        foreach (var raw in markdown.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("## ", StringComparison.Ordinal))
            {
                inSection = line[3..].StartsWith(heading, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            if (!inSection)
            {
                continue;
            }

            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inCode = !inCode;
                continue;
            }

            if (code ? inCode && line.Trim().Length > 0 && !line.TrimStart().StartsWith('#') : ListItem().Match(line) is { Success: true })
            {
                items.Add(code ? line.Trim() : ListItem().Match(line).Groups[1].Value.Trim());
            }
        }

        return items;
    }

    [GeneratedRegex(@"^#\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex Heading();

    [GeneratedRegex(@"^\s*(?:[-*]|\d+\.)\s+(.+)$")]
    private static partial Regex ListItem();
}
