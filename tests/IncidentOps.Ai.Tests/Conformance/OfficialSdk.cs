using System.Diagnostics;
using System.Text.Json.Nodes;

namespace IncidentOps.Ai.Tests.Conformance;

/// <summary>What the official SDK made of one call: its parsed output and events, or the error it raised.</summary>
public sealed record SdkResult(JsonNode? Output, JsonArray Events, SdkError? Error)
{
    public JsonNode Out => Output ?? throw new Xunit.Sdk.XunitException($"the SDK raised {Error} instead of returning an output");
}

/// <summary>An error as the official SDK names and classifies it (fault and status from the service model, retry from its standard strategy).</summary>
public sealed record SdkError(string Name, bool Modeled, string? Fault, int? ModeledStatus, int? Status, string? Message, bool Retryable);

/// <summary>
/// Drives <c>tests/aws-conformance/run.mjs</c>: the AWS SDK for JavaScript v3 sends one operation to the fake and
/// prints what it parsed. Missing node or node_modules fails the test with how to fix it; it never skips.
/// </summary>
public static class OfficialSdk
{
    private static readonly Lazy<string> Folder = new(FindFolder);

    public static async Task<SdkResult> RunAsync(string operation, string endpoint, JsonNode input)
    {
        var start = new ProcessStartInfo("node", ["run.mjs", operation, endpoint])
        {
            WorkingDirectory = Folder.Value,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // Only the fake's test credentials: nothing from this machine's AWS configuration reaches the SDK.
        foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        start.Environment["AWS_ACCESS_KEY_ID"] = FakeAws.AccessKey;
        start.Environment["AWS_SECRET_ACCESS_KEY"] = FakeAws.Secret;
        start.Environment["AWS_REGION"] = FakeAws.Region;
        start.Environment["NODE_NO_WARNINGS"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        await process.StandardInput.WriteAsync(input.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"node run.mjs {operation} did not finish within 60 s");
        }

        var (text, errors) = (await stdout, await stderr);
        if (process.ExitCode != 0 || JsonNode.Parse(text) is not JsonObject result)
        {
            throw new InvalidOperationException($"node run.mjs {operation} exited {process.ExitCode}: {errors}{text}");
        }

        var error = result["error"] is JsonObject e
            ? new SdkError((string)e["name"]!, (bool)e["modeled"]!, (string?)e["fault"], (int?)e["modeledStatus"], (int?)e["status"], (string?)e["message"], (bool)e["retryable"]!)
            : null;
        return new SdkResult(result["output"], result["events"] as JsonArray ?? [], error);
    }

    private static string FindFolder()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "IncidentOps.sln")))
        {
            dir = dir.Parent;
        }

        var folder = Path.Combine(dir?.FullName ?? throw new InvalidOperationException("IncidentOps.sln not found above the test folder"), "tests", "aws-conformance");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "@aws-sdk", "client-bedrock-runtime")))
        {
            throw new InvalidOperationException($"The official AWS SDK is not installed in {folder}: run `bash scripts/install-prereqs.sh` (npm ci from its package-lock.json).");
        }

        try
        {
            using var node = Process.Start(new ProcessStartInfo("node", ["--version"]) { RedirectStandardOutput = true })!;
            node.WaitForExit();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException("node is not on PATH: the AWS conformance tests need Node.js (20 or later).", ex);
        }

        return folder;
    }
}
