using System.Globalization;
using System.Text.Json;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;
using Polly.Timeout;

namespace IncidentOps.Agents.Ai;

/// <summary>
/// The one way a capability calls a paid service: a service marked down is not called, a spent budget refuses the
/// call, every call is accounted for, and a failure comes back as an error (the caller's local implementation answers).
/// </summary>
public sealed class PaidCalls(AiUsageStore usage, AiAccounting accounting, IOptions<AiOptions> options, ILogger<PaidCalls> logger)
{
    /// <summary>How a refusal for budget starts: callers that say which engine answered tell it from a service failure by it.</summary>
    public const string BudgetRefusal = "refused: the hourly AI budget is spent";

    /// <summary>Whether the service's recent errors or latency say it is down (then it is not called).</summary>
    public Task<(bool Skip, string Reason)> ShouldSkipAsync(string service, string model) => usage.ShouldSkipAsync(service, model);

    /// <summary>
    /// Null while paid calls may go out; once the last hour's spend reached <c>AI:Routing:HourlyBudgetUsd</c>, why
    /// they may not. Routing's cheapest-tier cap only slows spending: this stops it, for every paid service (Bedrock,
    /// Comprehend, Guardrails, Knowledge Bases, Q Business, Textract, an OpenAI-compatible endpoint), and the local
    /// engine answers. 0 means no budget. Calls already in flight may overshoot it by their own cost.
    /// </summary>
    public async Task<string?> BudgetRefusalAsync()
    {
        var budget = options.Value.Routing.HourlyBudgetUsd;
        if (budget <= 0)
        {
            return null;
        }

        var spent = await usage.SpendLastHourAsync();
        return spent < budget
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{BudgetRefusal} (${spent:0.####} of ${budget:0.####} in the last hour)");
    }

    /// <summary>Records a paid call that was not made for budget, so the AI usage shows the refusal and what stood in.</summary>
    public Task<AiCall> RecordBudgetRefusalAsync(string service, string model, string operation, IncidentAiContext? context, string why) =>
        accounting.RecordAsync(new AiCallFacts(AiServices.Local, "budget", operation, context, RouteReason: $"{service} {why}", FallbackFrom: model), accounting.Start());

    /// <summary>Calls an AWS service with accounting; on failure records it and returns the error, so the caller falls back.</summary>
    public async Task<(T? Value, string? Error)> CallAsync<T>(
        string service, string model, string operation, IncidentAiContext? context,
        Func<CancellationToken, Task<(T Value, long InputTokens, long OutputTokens)>> call, CancellationToken cancellationToken)
    {
        var (skip, why) = await usage.ShouldSkipAsync(service, model);
        if (skip)
        {
            // A down service is not called (each call would wait out its retries); the local engine answers.
            return (default, why);
        }

        if (await BudgetRefusalAsync() is { } refused)
        {
            await RecordBudgetRefusalAsync(service, model, operation, context, refused);
            return (default, refused);
        }

        var started = accounting.Start();
        try
        {
            var (value, input, output) = await call(cancellationToken);
            await accounting.RecordAsync(new AiCallFacts(service, model, operation, context, input, output), started);
            return (value, null);
        }
        catch (Exception ex) when (IsServiceFailure(ex, cancellationToken))
        {
            var error = Describe(ex);
            AiLog.CallFailed(logger, service, operation, model, error);
            await accounting.RecordAsync(new AiCallFacts(service, model, operation, context, Error: error), started);
            return (default, error);
        }
    }

    /// <summary>Failures of the remote service (after the resilience handler's retries) that the local engine can stand in for.</summary>
    public static bool IsServiceFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        AwsServiceException or HttpRequestException or FormatException or JsonException or TimeoutRejectedException
            or System.ClientModel.ClientResultException or Polly.CircuitBreaker.BrokenCircuitException => true,
        // No credentials in the chain (AI:Provider=Bedrock on a machine without them): the local engine answers.
        Amazon.Runtime.AmazonClientException => true,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    public static string Describe(Exception ex) => ex switch
    {
        AwsServiceException aws => $"{aws.Code}: {aws.ServiceMessage}",
        Amazon.Runtime.AmazonClientException => $"AWS client: {ex.Message}",
        TimeoutRejectedException or OperationCanceledException => "timed out",
        _ => ex.Message,
    };
}
