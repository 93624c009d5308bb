using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using IncidentOps.Core;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentOps.EndToEnd.Tests;

[Collection(WholeSystem.Name)]
public class ConsoleReconnectTests(SystemFixture system, ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task The_ops_console_shows_an_API_outage_reconnects_by_itself_and_replays_what_it_missed()
    {
        var start = BrowserScripts.StartInfo("tests/ops.reconnect.browser.mjs", system, interactive: true);
        using var browser = Process.Start(start)!;
        var stderr = browser.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        try
        {
            await ExpectAsync(browser, "READY", cancel.Token);

            // The API and its hub (the console's live connection) both go down, as in a redeploy of the image.
            await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Api, "resource-stop", cancel.Token);
            await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Hub, "resource-stop", cancel.Token);
            await browser.StandardInput.WriteLineAsync("API_DOWN");
            output.WriteLine(await ExpectAsync(browser, "SAW", cancel.Token));

            // While the API is down, an incident arrives (straight into Redis) and the agents work it.
            await using var redis = await ConnectionMultiplexer.ConnectAsync((await system.App.GetConnectionStringAsync(ResourceNames.Redis, cancel.Token))!);
            var (evt, _) = EventValidation.Validate(new PagerDutyEvent
            {
                RoutingKey = "outage-test",
                EventAction = "trigger",
                DedupKey = $"outage-{Guid.NewGuid():N}",
                Payload = new PagerDutyPayload { Summary = "Queue consumer lag growing during API outage", Source = $"queue-{Guid.NewGuid():N}", Severity = "error" },
            });
            var outcome = await IncidentIngestor.Create(new IncidentStore(redis), TimeProvider.System).IngestAsync(evt!, traceparent: null, cancel.Token);

            await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Api, "resource-start", cancel.Token);
            await system.App.ResourceCommands.ExecuteCommandAsync(ResourceNames.Hub, "resource-start", cancel.Token);
            await browser.StandardInput.WriteLineAsync($"INCIDENT {outcome.IncidentId}");
            await ExpectAsync(browser, "PASS", cancel.Token);
        }
        finally
        {
            if (!browser.HasExited)
            {
                browser.Kill(entireProcessTree: true);
            }

            output.WriteLine(await stderr);
            await Eventually.TrueAsync(async () =>
            {
                try
                {
                    return (await system.Api.GetAsync("/dashboard/health")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, Deadline, "the API to be back for the other tests");
        }
    }

    private async Task<string> ExpectAsync(Process browser, string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await browser.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException($"The browser script ended before {prefix}.");
            output.WriteLine(line);
            if (line.StartsWith("FAIL", StringComparison.Ordinal))
            {
                Assert.Fail(line);
            }

            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
