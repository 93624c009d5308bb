using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentOps.Api.Tests.Corpus;

/// <summary>
/// Bad requests generated from the API's own OpenAPI document: for every operation, its path and query parameters out of
/// range, and for every JSON body (the schema's sample) the body broken as a whole, with the wrong content type, and each
/// field at every depth replaced by a bad value or removed. A new endpoint is covered the moment it is documented.
/// </summary>
public sealed class OpenApiCorpus(JsonElement document, int maxBodyBytes, Func<string, string, string> pathValue)
{
    // No %00 in a path: the in-memory test host refuses to send it (Kestrel answers such a request 400 itself).
    private static readonly string[] BadPathValues =
    [
        "does-not-exist", new string('i', 5000), "..%2F..%2Fetc%2Fpasswd", "%FF%FE", "' OR 1=1 --", "{io}:incident:x", "*",
        "%E2%98%83%F0%9F%94%A5", "-1", "9223372036854775808", "%20", "a%0D%0AInjected: header",
    ];

    private static readonly string[] BadQueryValues =
    [
        "", "-1", "0", "abc", "99999999999999999999", "1e309", "NaN", "%00", "%FF", "9999-12-31T23:59:59Z", "0001-01-01", "2026-13-45",
        "open,unknown,,", new string('q', 4000), "%E2%98%83",
    ];

    private static readonly string[] WrongContentTypes =
    [
        "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonx",
        "application/json-patch", "image/png", "garbage", "",
    ];

    public IEnumerable<BadRequest> Generate()
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                var name = operation.Value.TryGetProperty("operationId", out var id) ? id.GetString()! : $"{method} {path.Name}";
                foreach (var request in ForOperation(name, method, path.Name, operation.Value))
                {
                    yield return request;
                }
            }
        }
    }

    private IEnumerable<BadRequest> ForOperation(string name, string method, string template, JsonElement operation)
    {
        var parameters = operation.TryGetProperty("parameters", out var p) ? p.EnumerateArray().ToList() : [];
        var pathParams = parameters.Where(x => x.GetProperty("in").GetString() == "path").Select(x => x.GetProperty("name").GetString()!).ToList();
        var queryParams = parameters.Where(x => x.GetProperty("in").GetString() == "query").Select(x => x.GetProperty("name").GetString()!).ToList();
        var bodySchema = JsonBodySchema(operation);
        var validBody = bodySchema is null ? null : Sample(bodySchema.Value, 0);
        var validBytes = validBody is null ? null : Encoding.UTF8.GetBytes(validBody.ToJsonString());
        var contentType = validBytes is null ? null : "application/json";
        string Path(Dictionary<string, string>? overrides = null, string query = "")
        {
            var path = template;
            foreach (var param in pathParams)
            {
                path = path.Replace("{" + param + "}", overrides?.GetValueOrDefault(param) ?? pathValue(name, param), StringComparison.Ordinal);
            }

            return path + query;
        }

        foreach (var param in pathParams)
        {
            foreach (var value in BadPathValues)
            {
                yield return new BadRequest(name, $"path {param}: {Describe(value)}", method, Path(new() { [param] = value }), contentType, validBytes);
            }
        }

        foreach (var param in queryParams)
        {
            foreach (var value in BadQueryValues)
            {
                yield return new BadRequest(name, $"query {param}: {Describe(value)}", method, Path(query: $"?{param}={value}"), contentType, validBytes);
            }

            yield return new BadRequest(name, $"query {param}: repeated", method, Path(query: $"?{param}=1&{param}=2"), contentType, validBytes);
        }

        if (validBody is null)
        {
            if (method is "POST" or "PUT")
            {
                yield break;
            }

            // A body where none belongs is ignored or refused, never a crash.
            yield return new BadRequest(name, "unexpected body", method, Path(), "application/json", RawJson.Utf8("{\"x\":" + RawJson.Nested(100) + "}"));
            yield break;
        }

        foreach (var (kind, bytes) in WholeBodies(validBody))
        {
            yield return new BadRequest(name, kind, method, Path(), "application/json", bytes);
        }

        foreach (var type in WrongContentTypes)
        {
            yield return new BadRequest(name, $"content type '{type}'", method, Path(), type.Length == 0 ? null : type, validBytes);
        }

        foreach (var (fieldPath, kind, bytes) in FieldMutations(validBody, maxBodyBytes))
        {
            yield return new BadRequest(name, $"{fieldPath}: {kind}", method, Path(), "application/json", bytes);
        }
    }

    private IEnumerable<(string Kind, byte[] Body)> WholeBodies(JsonNode valid)
    {
        var text = valid.ToJsonString();
        yield return ("empty body", []);
        yield return ("truncated JSON", RawJson.Utf8(text[..(text.Length / 2)]));
        yield return ("trailing garbage", RawJson.Utf8(text + " }{ trailing"));
        yield return ("JSON array", RawJson.Utf8($"[{text}]"));
        yield return ("JSON null", RawJson.Utf8("null"));
        yield return ("JSON number", RawJson.Utf8("42"));
        yield return ("JSON string", RawJson.Utf8("\"a string\""));
        yield return ("not JSON", RawJson.Utf8("<xml>not json</xml>"));
        yield return ("comments", RawJson.Utf8("/* hi */" + text));
        yield return ("single quotes", RawJson.Utf8(text.Replace('"', '\'')));
        yield return ("deep nesting", RawJson.Utf8(RawJson.Nested(10_000)));
        yield return ("invalid UTF-8", [.. RawJson.Utf8("{\""), 0xC0, 0xAF, 0xED, 0xA0, 0x80, .. RawJson.Utf8("\":1}")]);
        yield return ("UTF-16 body", Encoding.Unicode.GetBytes(text));
        yield return ("oversized body", RawJson.Utf8("{\"pad\":\"" + new string('p', maxBodyBytes + 1) + "\"}"));
        yield return ("NUL bytes", [0, 0, 0, 0]);
        if (valid is JsonObject { Count: > 0 } obj)
        {
            var (key, value) = obj.First();
            yield return ("duplicated key", RawJson.Utf8("{" + JsonSerializer.Serialize(key) + ":" + (value?.ToJsonString() ?? "null") + "," + text[1..]));
        }
    }

    /// <summary>Each field at every depth (the first element of arrays), removed or replaced by each bad value.</summary>
    public static IEnumerable<(string Path, string Kind, byte[] Body)> FieldMutations(JsonNode valid, int maxBodyBytes)
    {
        foreach (var path in Fields(valid, "$"))
        {
            var clone = valid.DeepClone();
            if (JsonPath.Locate(clone, path) is (JsonObject parent, string key))
            {
                parent.Remove(key);
                yield return (path, "missing", RawJson.Utf8(clone.ToJsonString()));
            }

            foreach (var (kind, raw) in RawJson.BadValues(maxBodyBytes))
            {
                var copy = valid.DeepClone();
                switch (JsonPath.Locate(copy, path))
                {
                    case (JsonObject obj, string name):
                        obj[name] = RawJson.Marker;
                        break;
                    case (JsonArray arr, int index):
                        arr[index] = RawJson.Marker;
                        break;
                    default:
                        continue;
                }

                yield return (path, kind, RawJson.Splice(copy, raw));
            }
        }
    }

    private static IEnumerable<string> Fields(JsonNode node, string path)
    {
        if (path.Count(c => c is '.' or '[') > 4)
        {
            yield break;
        }

        if (node is JsonObject obj)
        {
            foreach (var (key, child) in obj.ToList())
            {
                var childPath = $"{path}.{key}";
                yield return childPath;
                if (child is not null)
                {
                    foreach (var nested in Fields(child, childPath))
                    {
                        yield return nested;
                    }
                }
            }
        }
        else if (node is JsonArray { Count: > 0 } arr)
        {
            var childPath = $"{path}[0]";
            yield return childPath;
            if (arr[0] is { } first)
            {
                foreach (var nested in Fields(first, childPath))
                {
                    yield return nested;
                }
            }
        }
    }

    private JsonElement? JsonBodySchema(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body)
        && body.TryGetProperty("content", out var content)
        && content.TryGetProperty("application/json", out var json)
        && json.TryGetProperty("schema", out var schema)
            ? Resolve(schema)
            : null;

    private JsonElement Resolve(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }

    /// <summary>A value the schema allows: every property present, strings as plain text, dates as dates.</summary>
    private JsonNode? Sample(JsonElement schema, int depth)
    {
        schema = Resolve(schema);
        if (depth > 5)
        {
            return null;
        }

        if (schema.TryGetProperty("enum", out var values) && values.GetArrayLength() > 0)
        {
            return JsonNode.Parse(values[0].GetRawText());
        }

        var types = schema.TryGetProperty("type", out var type)
            ? type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!]
            : [];
        if (schema.TryGetProperty("properties", out var properties) || types.Contains("object"))
        {
            var obj = new JsonObject();
            if (properties.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in properties.EnumerateObject())
                {
                    obj[property.Name] = Sample(property.Value, depth + 1);
                }
            }
            else if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object)
            {
                obj["key"] = Sample(additional, depth + 1);
            }

            return obj;
        }

        if (types.Contains("array"))
        {
            return schema.TryGetProperty("items", out var items) ? new JsonArray(Sample(items, depth + 1)) : [];
        }

        if (types.Contains("string"))
        {
            var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
            return format switch
            {
                "date-time" => "2026-11-25T10:00:00Z",
                "date" => "2026-11-25",
                "uri" => "https://example.com/x",
                _ => "sample text",
            };
        }

        if (types.Contains("integer") || types.Contains("number"))
        {
            return 1;
        }

        return types.Contains("boolean") ? true : (JsonNode?)"sample text";
    }

    private static string Describe(string value) => value.Length > 24 ? $"{value[..12]}… ({value.Length} chars)" : $"'{value}'";
}
