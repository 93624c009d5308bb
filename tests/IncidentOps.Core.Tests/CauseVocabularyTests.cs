using System.Text.RegularExpressions;
using IncidentOps.Core.Domain;

namespace IncidentOps.Core.Tests;

/// <summary>
/// The web resolve form offers the causes and fixes a responder can confirm (IncidentOps.Web/lib/incidentApi.ts,
/// CAUSES and FIXES); the API refuses any other (CauseVocabulary). A copy in the web app is simpler than a fetch before
/// the form opens, so this test keeps the two equal: a cause added to one and not the other fails here.
/// </summary>
public sealed partial class CauseVocabularyTests
{
    [Fact]
    public void The_web_resolve_form_offers_exactly_the_causes_and_fixes_the_api_accepts()
    {
        var source = File.ReadAllText(Path.Combine(RepoRoot(), "IncidentOps.Web", "lib", "incidentApi.ts"));

        Assert.Equal(CauseVocabulary.Categories, WebList(source, "CAUSES"));
        Assert.Equal(CauseVocabulary.Remediations, WebList(source, "FIXES"));
    }

    private static List<string> WebList(string source, string name)
    {
        var list = WebConstant().Matches(source).FirstOrDefault(m => m.Groups["name"].Value == name)
            ?? throw new InvalidDataException($"incidentApi.ts has no 'export const {name} = [...]'");
        return [.. Quoted().Matches(list.Groups["items"].Value).Select(m => m.Groups[1].Value)];
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IncidentOps.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No IncidentOps.sln above {AppContext.BaseDirectory}.");
    }

    [GeneratedRegex(@"export const (?<name>[A-Z_]+) = \[(?<items>[^\]]*)\]")]
    private static partial Regex WebConstant();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex Quoted();
}
