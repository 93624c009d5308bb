using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace IncidentOps.Api.Tests.Corpus;

/// <summary>
/// Each ingest source's real payload, mutated field by field: every field at every depth removed, and replaced by values
/// FsCheck generates (random text, numbers at the edges, nesting, dates in and out of range, wrong types). A fixed seed
/// per field keeps a failure reproducible.
/// </summary>
public static class SourcePayloadMutations
{
    public const int SamplesPerField = 10;

    /// <summary>JSON texts of any shape, most of them wrong for any one field.</summary>
    public static Gen<string> BadJsonValue { get; } = Gen.OneOf(
        Gen.Elements("null", "true", "false", "0", "-0", "1e400", "-1", "9007199254740993", "{}", "[]", "\"\"", "[null]", "{\"\":null}"),
        ArbMap.Default.GeneratorFor<string>().Where(s => s is not null).Select(s => JsonSerializer.Serialize(s)),
        ArbMap.Default.GeneratorFor<int>().Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        Gen.Choose(1, 300).Select(depth => RawJson.Nested(depth)),
        Gen.Choose(0, 3000).Select(n => JsonSerializer.Serialize(new string('z', n * 10))),
        Gen.Choose(-10000, 20000).SelectMany(year => Gen.Choose(0, 14).SelectMany(month => Gen.Choose(0, 40)
            .Select(day => $"\"{year:D4}-{month:D2}-{day:D2}T25:61:61Z\""))),
        ArbMap.Default.GeneratorFor<Dictionary<string, int>>().Select(d => JsonSerializer.Serialize(d)));

    public static IEnumerable<(string Path, string Kind, string Json)> Mutate(string source, JsonNode payload)
    {
        foreach (var path in Paths(payload, "$"))
        {
            var seed = (ulong)StableHash($"{source}{path}");
            var values = BadJsonValue.Sample(20, new Rnd(seed), SamplesPerField);
            if (Remove(payload, path) is { } without)
            {
                yield return (path, "missing", without);
            }

            foreach (var value in values)
            {
                yield return (path, Kind(value), Replace(payload, path, value));
            }
        }
    }

    private static string Kind(string value) => value.Length > 30 ? $"{value[..20]}… ({value.Length} chars)" : value;

    private static IEnumerable<string> Paths(JsonNode node, string path)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    yield return $"{path}.{key}";
                    if (child is not null)
                    {
                        foreach (var nested in Paths(child, $"{path}.{key}"))
                        {
                            yield return nested;
                        }
                    }
                }

                break;
            case JsonArray { Count: > 0 } arr:
                yield return $"{path}[0]";
                if (arr[0] is { } first)
                {
                    foreach (var nested in Paths(first, $"{path}[0]"))
                    {
                        yield return nested;
                    }
                }

                break;
        }
    }

    private static string? Remove(JsonNode payload, string path)
    {
        var copy = payload.DeepClone();
        var (parent, key) = JsonPath.Locate(copy, path);
        if (parent is JsonObject obj && key is string name)
        {
            obj.Remove(name);
            return copy.ToJsonString();
        }

        return null;
    }

    private static string Replace(JsonNode payload, string path, string rawValue)
    {
        var copy = payload.DeepClone();
        var (parent, key) = JsonPath.Locate(copy, path);
        switch (parent)
        {
            case JsonObject obj when key is string name:
                obj[name] = RawJson.Marker;
                break;
            case JsonArray arr when key is int index:
                arr[index] = RawJson.Marker;
                break;
        }

        return Encoding.UTF8.GetString(RawJson.Splice(copy, Encoding.UTF8.GetBytes(rawValue)));
    }

    private static long StableHash(string text)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return BitConverter.ToInt64(hash, 0) & long.MaxValue;
    }
}
