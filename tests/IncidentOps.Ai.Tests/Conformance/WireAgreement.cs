using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentOps.Ai.Tests.Conformance;

/// <summary>
/// Whether our client's request and the official SDK's request for the same input are the same request on the
/// wire: method, path and query, content-type, every operation header, and the JSON body, each signed well.
/// </summary>
public static class WireAgreement
{
    // Headers that differ between any two HTTP clients or any two calls (signing, transport, telemetry), not by operation.
    private static readonly HashSet<string> PerCall =
    [
        "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "host", "content-length", "connection",
        "user-agent", "x-amz-user-agent", "amz-sdk-invocation-id", "amz-sdk-request", "traceparent", "tracestate", "expect", "accept-encoding",
    ];

    public static void AssertSame(FakeRequest ours, FakeRequest sdk)
    {
        Assert.True(sdk.SignatureError is null, $"the fake's verifier rejects the SDK's signature: {sdk.SignatureError}");
        Assert.True(ours.SignatureError is null, $"the fake's verifier rejects our signature: {ours.SignatureError}");
        Assert.Equal(sdk.Method, ours.Method);
        Assert.Equal(sdk.Path, ours.Path);
        Assert.Equal(sdk.ContentType, ours.ContentType);
        Assert.Equal(OperationHeaders(sdk), OperationHeaders(ours));
        var differences = Differences("$", sdk.Body, ours.Body).ToList();
        Assert.True(differences.Count == 0, $"bodies differ (SDK vs ours):\n{string.Join('\n', differences)}\nSDK:  {sdk.Body?.ToJsonString()}\nours: {ours.Body?.ToJsonString()}");
    }

    private static SortedDictionary<string, string> OperationHeaders(FakeRequest request) =>
        new((request.Headers ?? new Dictionary<string, string>()).Where(h => !PerCall.Contains(h.Key) && h.Key != "content-type").ToDictionary(), StringComparer.Ordinal);

    /// <summary>Every place two JSON documents differ, by path; numbers compare by value (0.2 and 2e-1 are the same number).</summary>
    public static IEnumerable<string> Differences(string path, JsonNode? expected, JsonNode? actual)
    {
        switch (expected, actual)
        {
            case (null, null):
                yield break;
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)).Order(StringComparer.Ordinal))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        yield return $"{path}.{key}: {(e.ContainsKey(key) ? "sent by the SDK only" : "sent by us only")}";
                        continue;
                    }

                    foreach (var difference in Differences($"{path}.{key}", e[key], a[key]))
                    {
                        yield return difference;
                    }
                }

                break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    foreach (var difference in Differences($"{path}[{i}]", e[i], a[i]))
                    {
                        yield return difference;
                    }
                }

                break;
            case (JsonValue e, JsonValue a) when e.GetValueKind() == JsonValueKind.Number && a.GetValueKind() == JsonValueKind.Number:
                if (e.GetValue<decimal>() != a.GetValue<decimal>())
                {
                    yield return $"{path}: {e} vs {a}";
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    yield return $"{path}: {expected?.ToJsonString() ?? "absent"} vs {actual?.ToJsonString() ?? "absent"}";
                }

                break;
        }
    }
}
