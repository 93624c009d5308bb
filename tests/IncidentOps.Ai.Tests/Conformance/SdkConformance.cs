using System.Text.Json.Nodes;

namespace IncidentOps.Ai.Tests.Conformance;

/// <summary>One call through our client and one through the official SDK against the same fake, each with the requests it sent.</summary>
public static class SdkConformance
{
    /// <summary>Runs <paramref name="ours"/>, then the SDK's <paramref name="operation"/> on <paramref name="sdkInput"/>; each must send exactly one request.</summary>
    public static Task<(T Ours, SdkResult Sdk)> BothAsync<T>(FakeAws aws, Func<Task<T>> ours, string operation, JsonNode sdkInput) =>
        BothAsync(aws, ours, operation, _ => sdkInput);

    /// <summary>As above, with SDK input that takes values our client generated (idempotency tokens) from our request.</summary>
    public static async Task<(T Ours, SdkResult Sdk)> BothAsync<T>(FakeAws aws, Func<Task<T>> ours, string operation, Func<FakeRequest, JsonNode> sdkInput)
    {
        var (result, ourRequests) = await RecordAsync(aws, ours);
        Assert.Single(ourRequests);
        var (sdk, sdkRequests) = await RecordAsync(aws, () => OfficialSdk.RunAsync(operation, aws.Url, sdkInput(ourRequests[0])));
        Assert.Single(sdkRequests);
        WireAgreement.AssertSame(ourRequests[0], sdkRequests[0]);
        return (result, sdk);
    }

    /// <summary>The call's result and the requests the fake received while it ran (tests of one collection run one at a time).</summary>
    public static async Task<(T Result, IReadOnlyList<FakeRequest> Requests)> RecordAsync<T>(FakeAws aws, Func<Task<T>> call)
    {
        var before = aws.Requests.Count;
        var result = await call();
        return (result, [.. aws.Requests.Skip(before)]);
    }
}
