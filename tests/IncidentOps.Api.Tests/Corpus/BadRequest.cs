using System.Text;
using System.Text.Json.Nodes;

namespace IncidentOps.Api.Tests.Corpus;

/// <summary>One request of the corpus: which documented operation it aims at, what is wrong with it, and the bytes.</summary>
public sealed record BadRequest(string Operation, string Kind, string Method, string Path, string? ContentType, byte[]? Body)
{
    public override string ToString() => $"{Operation} [{Kind}] {Method} {Path[..Math.Min(Path.Length, 120)]}";
}

/// <summary>JSON built as text where a well-formed writer cannot produce it (raw tokens, invalid UTF-8, duplicate keys).</summary>
internal static class RawJson
{
    public const string Marker = "__corpus_raw__";

    /// <summary>The node serialised, with the string value <see cref="Marker"/> replaced by <paramref name="raw"/> bytes.</summary>
    public static byte[] Splice(JsonNode root, byte[] raw)
    {
        var text = Encoding.UTF8.GetBytes(root.ToJsonString());
        var marker = Encoding.UTF8.GetBytes($"\"{Marker}\"");
        var at = text.AsSpan().IndexOf(marker);
        if (at < 0)
        {
            return text;
        }

        return [.. text.AsSpan(0, at), .. raw, .. text.AsSpan(at + marker.Length)];
    }

    public static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public static string Nested(int depth, string leaf = "1") =>
        string.Concat(Enumerable.Repeat("[", depth)) + leaf + string.Concat(Enumerable.Repeat("]", depth));

    /// <summary>Bad values put in place of one field: wrong types, huge, out of range, malformed.</summary>
    public static IEnumerable<(string Kind, byte[] Raw)> BadValues(int maxBodyBytes)
    {
        yield return ("null", Utf8("null"));
        yield return ("number", Utf8("12345"));
        yield return ("negative", Utf8("-1"));
        yield return ("huge integer", Utf8("-9223372036854775809123"));
        yield return ("float overflow", Utf8("1e400"));
        yield return ("boolean", Utf8("true"));
        yield return ("object", Utf8("{\"unexpected\":{\"nested\":[1,2]}}"));
        yield return ("array", Utf8("[\"a\",1,null]"));
        yield return ("empty string", Utf8("\"\""));
        yield return ("whitespace", Utf8("\"   \\t\\n \""));
        yield return ("control characters", Utf8("\"\\u0000\\u0001\\u001b[31m\""));
        yield return ("unknown enum", Utf8("\"not-a-known-value-\u00ff\u2603\""));
        yield return ("huge string", Utf8("\"" + new string('x', maxBodyBytes - 2048) + "\""));
        yield return ("huge array", Utf8("[" + string.Join(',', Enumerable.Repeat("0", (maxBodyBytes - 2048) / 2)) + "]"));
        yield return ("deep nesting", Utf8(Nested(200)));
        yield return ("date out of range", Utf8("\"9999-99-99T99:99:99Z\""));
        yield return ("date before year 1", Utf8("\"-271821-04-20T00:00:00Z\""));
        yield return ("invalid UTF-8", [(byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"']);
        yield return ("lone surrogate", Utf8("\"\\uD800\""));
    }
}
