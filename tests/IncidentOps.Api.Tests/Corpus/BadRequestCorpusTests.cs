using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentOps.Api.Tests.Payloads;
using IncidentOps.Core.Events;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace IncidentOps.Api.Tests.Corpus;

/// <summary>
/// The bad-request corpus: generated from the OpenAPI document (every operation, every parameter, every body field) and
/// from each ingest source's real payloads mutated field by field (FsCheck), plus the hub's method called badly. Every
/// answer is a 4xx problem document naming the problem, or a 2xx where the mutated input happens to be valid; never a
/// 5xx; and Redis (every key's digest, the audit trail aside) is unchanged by each refused request.
/// </summary>
public class BadRequestCorpusTests(ApiFixture api, ITestOutputHelper output) : IClassFixture<ApiFixture>
{
    private const int MinimumCorpus = 2000;

    [Fact]
    public async Task Every_bad_request_is_a_named_4xx_and_stores_nothing_and_none_is_a_5xx()
    {
        var incidentId = (await api.PostAsync(ApiFixture.Trigger($"corpus-{Guid.NewGuid():N}"))).GetProperty("incidentId").GetString()!;
        var admin = await api.SignIn.TokenAsync("admin");
        using var client = api.Factory.CreateClient();
        var tally = new Tally();

        // The sources' real payloads first: the OpenAPI corpus rotates an ingest token on its way.
        foreach (var source in Sources())
        {
            foreach (var (path, kind, json) in SourcePayloadMutations.Mutate(source.Name, source.Payload))
            {
                var (contentType, body) = source.Wrap(json);
                await SendAsync(client, new BadRequest(source.Name, $"{path}: {kind}", "POST", source.Path, contentType, body), source.Token, tally);
            }
        }

        using var documentRequest = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        documentRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var documentResponse = await client.SendAsync(documentRequest);
        var document = await documentResponse.Content.ReadFromJsonAsync<JsonElement>();
        var corpus = new OpenApiCorpus(document, ApiFixture.MaxBodyBytes, (operation, param) => param switch
        {
            "id" => incidentId,
            "token" => TokenFor(operation.ToLowerInvariant()) ?? "no-such-source",
            "source" => "cloudwatch",
            _ => $"{param}-unknown",
        });
        foreach (var request in corpus.Generate())
        {
            await SendAsync(client, request, TokenFor(request.Path) ?? admin, tally);
        }

        await HubCorpusAsync(tally);

        output.WriteLine(tally.Table());
        Assert.True(tally.Failures.Count == 0, $"{tally.Failures.Count} failures:\n{string.Join('\n', tally.Failures.Take(40))}");
        Assert.True(tally.Total >= MinimumCorpus, $"The corpus has {tally.Total} requests, fewer than {MinimumCorpus}.");
        Assert.Equal(0, tally.ServerErrors);
    }

    private sealed record Source(string Name, string Path, string Token, JsonNode Payload, Func<string, (string ContentType, byte[] Body)> Wrap);

    private IEnumerable<Source> Sources()
    {
        (string, byte[]) Json(string json) => ("application/json", Encoding.UTF8.GetBytes(json));
        yield return new Source("events", "/api/v1/events", ApiFixture.EventsToken,
            JsonSerializer.SerializeToNode(ApiFixture.Trigger("corpus-events"))!, Json);
        yield return new Source("alertmanager", "/api/v1/alerts/alertmanager", ApiFixture.AlertmanagerToken,
            JsonSerializer.SerializeToNode(AlertmanagerPayloads.Webhook("{}:{alertname=\"HighErrorRate\"}", "firing",
                AlertmanagerPayloads.Alert("corpus-am", "firing", "HighErrorRate", "checkout")))!, Json);
        yield return new Source("grafana", "/api/v1/alerts/grafana", ApiFixture.GrafanaToken,
            JsonSerializer.SerializeToNode(AlertmanagerPayloads.Grafana("corpus-grafana", "firing"))!, Json);
        // CloudWatch: the alarm inside a correctly signed SNS notification, so the mutation reaches the alarm's reader.
        yield return new Source("cloudwatch", $"/api/v1/alerts/cloudwatch/{ApiFixture.CloudWatchToken}", ApiFixture.CloudWatchToken,
            JsonNode.Parse(FakeSns.AlarmMessage("corpus-alarm", "ALARM"))!,
            alarm => ("text/plain", Encoding.UTF8.GetBytes(JsonSerializer.Serialize(api.Sns.Notification(alarm), OpsJson.Options))));
    }

    private static string? TokenFor(string pathOrOperation) => pathOrOperation switch
    {
        _ when pathOrOperation.Contains("alertmanager", StringComparison.OrdinalIgnoreCase) => ApiFixture.AlertmanagerToken,
        _ when pathOrOperation.Contains("grafana", StringComparison.OrdinalIgnoreCase) => ApiFixture.GrafanaToken,
        _ when pathOrOperation.Contains("cloudwatch", StringComparison.OrdinalIgnoreCase) && !pathOrOperation.Contains("/admin/", StringComparison.Ordinal) => ApiFixture.CloudWatchToken,
        _ when pathOrOperation.StartsWith("/api/v1/events", StringComparison.Ordinal) || pathOrOperation.Equals("postevent", StringComparison.Ordinal) => ApiFixture.EventsToken,
        _ when pathOrOperation.StartsWith("/api/v1/changes", StringComparison.Ordinal) => ApiFixture.EventsToken,
        _ => null,
    };

    private async Task SendAsync(HttpClient client, BadRequest request, string token, Tally tally)
    {
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Path);
        // GET /api/v1/changes is a viewer's read; only its POST takes the events token.
        var bearer = request.Method == "GET" && request.Path.StartsWith("/api/v1/changes", StringComparison.Ordinal) ? await api.SignIn.TokenAsync("admin") : token;
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (request.Body is not null)
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType);
            }
        }

        using var response = await client.SendAsync(message);
        var status = (int)response.StatusCode;
        var text = await response.Content.ReadAsStringAsync();
        var digest = await DigestAsync();
        tally.Count(request.Operation, status, Title(text));
        if (status >= 500)
        {
            tally.Failures.Add($"{request} → {status}: {text[..Math.Min(text.Length, 300)]}");
        }
        else if (status >= 400)
        {
            if (Unnamed(response, text) is { } why)
            {
                tally.Failures.Add($"{request} → {status} without a named problem ({why}): {text[..Math.Min(text.Length, 200)]}");
            }

            if (tally.Baseline is not null && Diff(tally.Baseline, digest) is { Length: > 0 } changed)
            {
                tally.Failures.Add($"{request} → {status}, but Redis changed: {changed}");
            }
        }

        tally.Baseline = digest;
    }

    private static string Title(string text)
    {
        try
        {
            var root = JsonDocument.Parse(text).RootElement;
            return root.ValueKind == JsonValueKind.Object && root.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    /// <summary>Why the answer is not a problem document naming the problem, or null when it is one.</summary>
    private static string? Unnamed(HttpResponseMessage response, string text)
    {
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"content type {response.Content.Headers.ContentType?.MediaType ?? "none"}";
        }

        try
        {
            var json = JsonDocument.Parse(text).RootElement;
            var title = json.TryGetProperty("title", out var t) ? t.GetString() : null;
            var named = (json.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 })
                || (json.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object && e.EnumerateObject().Any());
            return string.IsNullOrWhiteSpace(title) ? "no title" : named ? null : "no detail or errors";
        }
        catch (JsonException)
        {
            return "not JSON";
        }
    }

    /// <summary>Every key with Redis's own digest of its value (DEBUG DIGEST-VALUE); the audit trail rightly records refusals.</summary>
    private async Task<Dictionary<string, string>> DigestAsync()
    {
        var server = api.Redis.Connection.GetServer(api.Redis.ConnectionString);
        var keys = new List<RedisKey>();
        await foreach (var key in server.KeysAsync(pattern: "*"))
        {
            if (key != IncidentOps.Core.Storage.RedisKeys.Audit)
            {
                keys.Add(key);
            }
        }

        if (keys.Count == 0)
        {
            return [];
        }

        var digests = (RedisResult[])(await api.Redis.Db.ExecuteAsync("DEBUG", ["DIGEST-VALUE", .. keys.Select(k => (object)k.ToString())]))!;
        return keys.Zip(digests, (k, d) => (k.ToString(), d.ToString())).ToDictionary(x => x.Item1, x => x.Item2);
    }

    private static string Diff(Dictionary<string, string> before, Dictionary<string, string> after) =>
        string.Join(", ", before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).Take(5));

    /// <summary>The hub's one method called with bad arguments, the wrong number of them, or a method that is not there.</summary>
    private async Task HubCorpusAsync(Tally tally)
    {
        await using var hub = api.Hub("viewer");
        await hub.StartAsync();
        var badIds = new object?[]
        {
            "", " ", "abc", "-1", "1-", "-1-0", "1--1", "0x10-0", "1.5-0", "99999999999999999999999-0", "1-99999999999999999999999",
            "1-0-0", "1-0 ", " 1-0", "1-0\n", "\u0661-\u0660", "$", "+", ">", "*", new string('9', 10_000), "1-0;FLUSHALL", "%00", "\0",
            42, 1.5e300, true, new { afterId = "1-0" }, new[] { "1-0" },
        };
        foreach (var id in badIds)
        {
            await HubCallAsync(hub, "Subscribe", [id], $"Subscribe({Describe(id)})", tally);
        }

        await HubCallAsync(hub, "Subscribe", [], "Subscribe()", tally);
        await HubCallAsync(hub, "Subscribe", ["1-0", "2-0"], "Subscribe(2 arguments)", tally);
        await HubCallAsync(hub, "Subscribe", ["abc", 1, null], "Subscribe(3 arguments)", tally);
        foreach (var name in new[] { "Publish", "OnConnectedAsync", "Dispose", "StreamAsync", "GetType", "subscribe-all", "Subscribe ", "Subscribe\u0000" })
        {
            await HubCallAsync(hub, name, ["1-0"], $"{Describe(name)}(…)", tally);
        }

        Assert.Equal(HubConnectionState.Connected, hub.State);
    }

    private static async Task HubCallAsync(HubConnection hub, string method, object?[] args, string kind, Tally tally)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        tally.Count("hub " + method, 400, "HubException");
        try
        {
            await foreach (var _ in hub.StreamAsyncCore<JsonElement>(method, args, cancel.Token))
            {
                tally.Failures.Add($"hub {kind}: streamed an event instead of refusing");
                return;
            }

            tally.Failures.Add($"hub {kind}: completed without an error");
        }
        catch (HubException ex) when (ex.Message.Length > 0)
        {
            if (hub.State != HubConnectionState.Connected)
            {
                tally.Failures.Add($"hub {kind}: the connection dropped ({hub.State})");
            }
        }
        catch (OperationCanceledException)
        {
            tally.Failures.Add($"hub {kind}: no answer within 15 s");
        }
    }

    private static string Describe(object? value) => value switch
    {
        string { Length: > 20 } s => $"'{s[..10]}…' ({s.Length} chars)",
        string s => $"'{s.Replace("\n", "\\n", StringComparison.Ordinal).Replace("\0", "\\0", StringComparison.Ordinal)}'",
        null => "null",
        _ => JsonSerializer.Serialize(value),
    };

    private sealed class Tally
    {
        private readonly SortedDictionary<string, int[]> _byOperation = new(StringComparer.Ordinal);

        public List<string> Failures { get; } = [];

        public Dictionary<string, string>? Baseline { get; set; }

        public int Total { get; private set; }

        public int ServerErrors { get; private set; }

        private readonly Dictionary<(string Operation, int Status, string Title), int> _answers = [];

        public void Count(string operation, int status, string title)
        {
            _answers[(operation, status, title)] = _answers.GetValueOrDefault((operation, status, title)) + 1;
            var row = _byOperation.TryGetValue(operation, out var r) ? r : _byOperation[operation] = new int[3];
            row[status >= 500 ? 2 : status >= 400 ? 1 : 0]++;
            Total++;
            ServerErrors += status >= 500 ? 1 : 0;
        }

        public string Table()
        {
            var table = new StringBuilder("| operation | requests | 2xx (valid after mutation) | 4xx | 5xx |\n| --- | --- | --- | --- | --- |\n");
            foreach (var (operation, row) in _byOperation)
            {
                table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| {operation} | {row.Sum()} | {row[0]} | {row[1]} | {row[2]} |\n");
            }

            table.Append(System.Globalization.CultureInfo.InvariantCulture, $"| **total** | {Total} | | | {ServerErrors} |\n\nMost common answers per operation:\n");
            foreach (var group in _answers.GroupBy(a => a.Key.Operation).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                table.Append(System.Globalization.CultureInfo.InvariantCulture,
                    $"- {group.Key}: {string.Join("; ", group.OrderByDescending(a => a.Value).Take(4).Select(a => $"{a.Key.Status} {a.Key.Title} ×{a.Value}"))}\n");
            }
            return table.ToString();
        }
    }
}
