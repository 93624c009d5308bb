using System.Diagnostics;
using System.Globalization;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentOps.AwsSmoke;

/// <summary>What one smoke call did: the service answered (or its error), what it said in brief, and its list-price cost.</summary>
public sealed record SmokeOutcome(string Service, string Operation, bool Answered, string What, double CostUsd, double LatencyMs);

/// <summary>
/// Calls each configured service once with the smallest request that proves the wiring (credentials, region,
/// signing, request and response shapes, IAM): a five-token Nova Micro answer, one guardrail check of a short
/// sentence, one retrieval result, one agent turn, one Q Business question, one sentiment and one PII check of a
/// sentence, and a blank 64×32 PNG for Textract. Prints no credentials and no request bodies.
/// </summary>
public sealed class SmokeRun(IServiceProvider services, TextWriter output)
{
    public const string NoCredentials =
        "aws-smoke: no AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_PROFILE, a container or web-identity role, or a shared credentials file): nothing called.";

    // A blank white 64x32 grayscale PNG: the cheapest valid document Textract reads (one page, no lines).
    private const string BlankPng = "iVBORw0KGgoAAAANSUhEUgAAAEAAAAAgCAAAAACH9iFYAAAAH0lEQVR42mP4TyFgGDVg1IBRA0YNGDVg1IBRA4abAQBtz/hqtjT8QgAAAABJRU5ErkJggg==";

    private readonly AiOptions _settings = services.GetRequiredService<IOptions<AiOptions>>().Value;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        output.WriteLine($"aws-smoke: region {_settings.Region}, one minimal call per configured service through IncidentOps's clients.");
        var aws = services.GetRequiredService<AwsAiClients>();
        var chat = services.GetRequiredService<AiEngine>().Chat!;
        var model = _settings.Models.NovaMicro;
        List<SmokeOutcome> outcomes = [];

        outcomes.Add(await CallAsync(AiServices.BedrockRuntime, $"Converse {model}", async () =>
        {
            var response = await chat.GetResponseAsync([new(ChatRole.User, "Reply with the single word: ok")], new ChatOptions { ModelId = model, MaxOutputTokens = 5 }, cancellationToken);
            var (input, outputTokens) = (response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
            return ($"\"{response.Text.Trim()}\" ({input} in, {outputTokens} out tokens, stop {response.AdditionalProperties?[BedrockChatClient.StopReasonKey]})",
                _settings.CostOf(AiServices.BedrockRuntime, model, input, outputTokens));
        }));

        if (_settings.GuardrailId is { Length: > 0 } guardrail)
        {
            outcomes.Add(await CallAsync(AiServices.BedrockGuardrails, "ApplyGuardrail", async () =>
            {
                var outcome = await aws.Guardrails.ApplyAsync(guardrail, _settings.GuardrailVersion, isInput: true, "The checkout service is slow.", cancellationToken);
                return ($"{(outcome.Intervened ? "intervened" : "no intervention")}, {outcome.TextUnits} text units", PerRequest(AiServices.BedrockGuardrails));
            }));
        }

        if (_settings.KnowledgeBaseId is { Length: > 0 } knowledgeBase)
        {
            outcomes.Add(await CallAsync(AiServices.BedrockKnowledgeBases, "Retrieve", async () =>
            {
                var matches = await aws.KnowledgeBases.RetrieveAsync(knowledgeBase, "disk full", 1, cancellationToken);
                return (matches.Count == 0 ? "no passages" : $"top passage {matches[0].Source} (score {matches[0].Score})", PerRequest(AiServices.BedrockKnowledgeBases));
            }));
        }

        if (_settings.AgentId is { Length: > 0 } agent && _settings.AgentAliasId is { Length: > 0 } alias)
        {
            outcomes.Add(await CallAsync(AiServices.BedrockAgents, "InvokeAgent", async () =>
            {
                var session = $"aws-smoke-{Guid.NewGuid():N}";
                var text = await aws.Agents.InvokeAsync(agent, alias, session, "svc-aws-smoke", "Reply with the single word: ok", endSession: true, cancellationToken);
                return ($"\"{Brief(text)}\"", PerRequest(AiServices.BedrockAgents));
            }));
        }

        if (_settings.QBusinessApplicationId is { Length: > 0 } application)
        {
            outcomes.Add(await CallAsync(AiServices.QBusiness, "ChatSync", async () =>
            {
                var (answer, sources) = await aws.QBusiness.ChatSyncAsync(application, "What is a runbook?", cancellationToken);
                return ($"\"{Brief(answer)}\" ({sources.Count} sources)", PerRequest(AiServices.QBusiness));
            }));
        }

        if (_settings.UseComprehend)
        {
            outcomes.Add(await CallAsync(AiServices.Comprehend, "DetectSentiment", async () =>
            {
                var sentiment = await aws.Comprehend.DetectSentimentAsync("The checkout service is slow.", cancellationToken);
                return ($"{sentiment.Label} ({sentiment.Score})", PerRequest(AiServices.Comprehend));
            }));
            outcomes.Add(await CallAsync(AiServices.Comprehend, "DetectPiiEntities", async () =>
            {
                var entities = await aws.Comprehend.DetectPiiEntitiesAsync("Page ops@example.com about the outage.", cancellationToken);
                return (entities.Count == 0 ? "no PII" : string.Join(", ", entities.Select(e => e.Type)), PerRequest(AiServices.Comprehend));
            }));
        }

        if (_settings.UseTextract)
        {
            outcomes.Add(await CallAsync(AiServices.Textract, "DetectDocumentText", async () =>
            {
                var (text, pages) = await aws.Textract.DetectDocumentTextAsync(Convert.FromBase64String(BlankPng), cancellationToken);
                return ($"{pages} page, {text.Lines} lines", PerRequest(AiServices.Textract));
            }));
        }

        foreach (var o in outcomes)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(o.Answered ? "ok  " : "FAIL")} {o.Service,-24} {o.Operation,-40} {o.LatencyMs,7:0} ms  ${o.CostUsd:0.000000}  {o.What}"));
        }

        var failed = outcomes.Count(o => !o.Answered);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"aws-smoke: {outcomes.Count - failed} of {outcomes.Count} calls answered; cost at the configured list prices ${outcomes.Sum(o => o.CostUsd):0.000000}."));
        return failed == 0 ? 0 : 1;
    }

    private double PerRequest(string service) => _settings.CostOf(service, service, 0, 0);

    private static string Brief(string text) => text.Length <= 80 ? text.Trim() : text[..77].Trim() + "...";

    private static async Task<SmokeOutcome> CallAsync(string service, string operation, Func<Task<(string What, double Cost)>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var (what, cost) = await call();
            return new SmokeOutcome(service, operation, true, what, cost, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (AwsServiceException ex)
        {
            // The service's own code and message (never the request or the credentials).
            return new SmokeOutcome(service, operation, false, $"{ex.Code}: {ex.ServiceMessage}", 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or Amazon.Runtime.AmazonClientException or Polly.Timeout.TimeoutRejectedException)
        {
            return new SmokeOutcome(service, operation, false, $"{ex.GetType().Name}: {ex.Message}", 0, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
