using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IncidentOps.Api.Tests.Corpus;

/// <summary>The corpus's field paths ($.a.b[0].c), as both generators write and mutate them.</summary>
internal static partial class JsonPath
{
    /// <summary>The parent container and key (a name or an index) of the node at <paramref name="path"/>.</summary>
    public static (JsonNode? Parent, object? Key) Locate(JsonNode root, string path)
    {
        JsonNode? parent = null;
        object? key = null;
        JsonNode? current = root;
        foreach (Match part in Step().Matches(path[1..]))
        {
            parent = current;
            if (part.Groups[1].Success)
            {
                key = part.Groups[1].Value;
                current = current?[part.Groups[1].Value];
            }
            else
            {
                var index = int.Parse(part.Groups[2].Value, CultureInfo.InvariantCulture);
                key = index;
                current = current?[index];
            }
        }

        return (parent, key);
    }

    [GeneratedRegex(@"\.([^.\[]+)|\[(\d+)\]")]
    private static partial Regex Step();
}
