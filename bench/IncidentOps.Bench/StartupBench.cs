using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using IncidentOps.Bench.Load;

namespace IncidentOps.Bench;

/// <summary>
/// <c>startup</c>: how soon a freshly started API serves, as a task started in an outage must: from its process start to the
/// first <c>/health</c> 200 and to the first alert answered 202, what the API spent of the CPU by then, and the latency of the
/// next alerts while its code is still cold. With <see cref="LoadOptions.Published"/> it starts the build under the root and
/// the published one in turn (A, B, A, B, ...), so a pair shares the machine's moment.
/// </summary>
public static class StartupBench
{
    private const int FollowingAlerts = 100;

    public static async Task<int> RunAsync(LoadOptions options, TextWriter output)
    {
        output.WriteLine($"startup: {Machine.Describe()}");
        var arms = options.Published is null
            ? [("build", options)]
            : new[] { ("build", options with { Published = null }), ("published", options) };
        output.WriteLine($"  {options.Runs} run(s) of {string.Join(" and ", arms.Select(a => $"{a.Item1} ({SystemUnderTest.ServiceDll(a.Item2, "IncidentOps.Api")})"))}, the API alone (no agents), then {FollowingAlerts} alerts one at a time");
        output.WriteLine("| run | build | load average | start → /health 200 ms | start → first 202 ms | first POST ms | next alerts p50 / max ms | API CPU s by the first 202 |");
        output.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        var failed = 0;
        for (var run = 1; run <= options.Runs; run++)
        {
            foreach (var (name, armOptions) in arms)
            {
                failed += await OneAsync(run, name, armOptions, output) ? 0 : 1;
            }
        }

        return failed == 0 ? 0 : 1;
    }

    private static async Task<bool> OneAsync(int run, string name, LoadOptions options, TextWriter output)
    {
        var load = Machine.LoadAverage();
        await using var system = await SystemUnderTest.StartAsync(options, withAgents: false);
        using var http = MixedLoad.Client(system.Api, 1);
        var runId = $"s{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}";

        var first = await PostAsync(http, runId, 0);
        var toFirst = Stopwatch.GetElapsedTime(system.ApiStartedAt!.Value);
        var cpu = SystemUnderTest.CpuTime(system.ApiProcess);
        var following = new List<double>(FollowingAlerts);
        var ok = first.Status == HttpStatusCode.Accepted;
        for (var i = 1; i <= FollowingAlerts; i++)
        {
            var next = await PostAsync(http, runId, i);
            ok &= next.Status == HttpStatusCode.Accepted;
            following.Add(next.Ms);
        }

        following.Sort();
        output.WriteLine($"| {run} | {name} | {load} | {system.ApiHealthyAfter!.Value.TotalMilliseconds:0} | {(ok ? toFirst.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) : $"not 202 ({first.Status})")} | {Machine.Ms(first.Ms)} | {Machine.Ms(Percentiles.Of(following, 50))} / {Machine.Ms(following[^1])} | {cpu.TotalSeconds:0.00} |");
        return ok;
    }

    private static async Task<(HttpStatusCode Status, double Ms)> PostAsync(HttpClient http, string runId, int n)
    {
        // New alerts, each its own group: the path that opens an incident (the storm's first seconds).
        using var content = new StringContent(MixedLoad.Body($"{runId}-{n.ToString(CultureInfo.InvariantCulture)}", n, n), Encoding.UTF8, "application/json");
        var started = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync("/api/v1/events", content);
        return (response.StatusCode, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }
}
