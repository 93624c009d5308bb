using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using IncidentOps.Api.Tests.Payloads;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IncidentOps.Api.Tests;

/// <summary>A token in the URL path reaches no span (name or tag) and no log line or log scope.</summary>
public sealed class TokenRedactionTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public async Task A_request_to_a_token_path_leaves_the_token_in_no_span_and_no_log()
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal) || source.Name.StartsWith("IncidentOps", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        var logs = new CapturingLogs();
        await using var factory = api.Factory.WithWebHostBuilder(web => web.ConfigureServices(services => services.AddSingleton<ILoggerProvider>(logs)));
        using var client = factory.CreateClient();
        var marker = $"redaction-{Guid.NewGuid():N}";
        // Our requests' spans are told apart from other tests' by their trace.
        var trace = ActivityTraceId.CreateRandom();
        client.DefaultRequestHeaders.Add("traceparent", $"00-{trace}-{ActivitySpanId.CreateRandom()}-01");

        var body = AlertmanagerPayloads.Webhook($"{{}}:{{x=\"{marker}\"}}", "firing", AlertmanagerPayloads.Alert(marker, "firing", "X", marker));
        using var alertmanager = await client.PostAsJsonAsync($"/api/v1/alerts/alertmanager/{ApiFixture.AlertmanagerToken}", body);
        using var grafana = await client.PostAsJsonAsync($"/api/v1/alerts/grafana/{ApiFixture.GrafanaToken}", new { });
        using var sns = await client.PostAsync($"/api/v1/alerts/cloudwatch/{ApiFixture.CloudWatchToken}", new StringContent("{}", Encoding.UTF8, "text/plain"));

        Assert.True(alertmanager.IsSuccessStatusCode);
        // The server span stops just after the response reaches the client: wait for all three.
        List<Activity> Ours() => [.. spans.Where(s => s.Kind == ActivityKind.Server && s.TraceId == trace)];
        await Testing.Eventually.TrueAsync(() => Task.FromResult(Ours().Count == 3), TimeSpan.FromSeconds(10), "the three server spans stopped");
        var ours = Ours();
        Assert.Contains(ours, s => Equals(s.GetTagItem("url.path"), "/api/v1/alerts/alertmanager/{token}"));
        foreach (var token in new[] { ApiFixture.AlertmanagerToken, ApiFixture.GrafanaToken, ApiFixture.CloudWatchToken })
        {
            Assert.All(spans, s => Assert.DoesNotContain(token, $"{s.DisplayName} {Tags(s)}", StringComparison.Ordinal));
            Assert.DoesNotContain(token, logs.Text, StringComparison.Ordinal);
        }

        Assert.NotEmpty(logs.Text); // the capture works: the requests did log
    }

    [Theory]
    [InlineData("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=arn:aws:sns:eu-west-1:1:t&Token=2336412f37fb",
        "https://sns.eu-west-1.amazonaws.com/?Action=Redacted&TopicArn=Redacted&Token=Redacted")]
    [InlineData("https://hooks.example.com/run?sig=abc", "https://hooks.example.com/run?sig=Redacted")]
    [InlineData("https://user:pw@api.example.com/v1/items", "https://api.example.com/v1/items")]
    public void Outgoing_urls_in_client_spans_keep_no_query_value_or_user_info(string url, string recorded) =>
        Assert.Equal(recorded, UrlRedaction.RedactQuery(new Uri(url)));

    private static string Tags(Activity activity) => string.Join(' ', activity.TagObjects.Select(t => $"{t.Key}={t.Value}"));

    /// <summary>Every log line with every scope around it, as text.</summary>
    private sealed class CapturingLogs : ILoggerProvider, ISupportExternalScope
    {
        private readonly ConcurrentQueue<string> _lines = new();
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public string Text => string.Join('\n', _lines);

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingLogs owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var line = new StringBuilder($"{category}: {formatter(state, exception)} {state}");
                owner._scopes.ForEachScope((scope, text) =>
                {
                    text.Append(" | ").Append(scope);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        text.AppendJoin(' ', pairs.Select(p => $"{p.Key}={p.Value}"));
                    }
                }, line);
                owner._lines.Enqueue(line.ToString());
            }
        }
    }
}
