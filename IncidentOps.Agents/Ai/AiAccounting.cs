using System.Diagnostics;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Agents.Ai;

/// <summary>Prices each AI call from the configured table and records it (counters in Redis, <c>ai.call</c> on the log).</summary>
public sealed class AiAccounting(AiUsageStore usage, IOptions<AiOptions> options, TimeProvider time, ILogger<AiAccounting> logger)
{
    public long Start() => time.GetTimestamp();

    public double CostOf(string service, string model, long inputTokens, long outputTokens) =>
        options.Value.CostOf(service, model, inputTokens, outputTokens);

    /// <summary>Records the call; accounting never fails the call it accounts for (a Redis hiccup is logged).</summary>
    public async Task<AiCall> RecordAsync(AiCallFacts facts, long started)
    {
        var latency = facts.LatencyMs ?? time.GetElapsedTime(started).TotalMilliseconds;
        var call = new AiCall(
            facts.Service, facts.Model, facts.Operation, facts.Context?.Incident.Id, facts.Context?.Phase.ToString().ToLowerInvariant(),
            facts.InputTokens, facts.OutputTokens, Math.Round(latency, 1), CostOf(facts.Service, facts.Model, facts.InputTokens, facts.OutputTokens),
            facts.Error is null, facts.Error, facts.RouteReason, facts.FallbackFrom, time.GetUtcNow());
        AiTelemetry.Record(call);
        try
        {
            await usage.RecordAsync(call, Activity.Current?.Id, facts.Detail);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            AiLog.AccountingFailed(logger, call.Service, call.Model, ex);
        }

        return call;
    }
}

/// <summary>What is known about one call once it returned. <see cref="LatencyMs"/> overrides the measured time (a service's own figure).</summary>
public sealed record AiCallFacts(
    string Service,
    string Model,
    string Operation,
    IncidentAiContext? Context,
    long InputTokens = 0,
    long OutputTokens = 0,
    string? Error = null,
    string? RouteReason = null,
    string? FallbackFrom = null,
    double? LatencyMs = null,
    AiCallDetail? Detail = null);
