using System.Diagnostics.Metrics;
using IncidentOps.Core.Ai;

namespace IncidentOps.Agents.Ai;

/// <summary>AI calls as OpenTelemetry metrics too, so the Aspire dashboard shows them beside the agents' phases.</summary>
internal static class AiTelemetry
{
    private static readonly Meter Meter = new(IncidentOpsTelemetry.Agents + ".Ai");
    private static readonly Counter<long> Calls = Meter.CreateCounter<long>("incidentops.ai.calls", "{call}", "AI calls by service, model and outcome.");
    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>("incidentops.ai.tokens", "{token}", "Tokens by service, model and direction.");
    private static readonly Counter<double> Cost = Meter.CreateCounter<double>("incidentops.ai.cost", "USD", "AI spend by service and model, at the price table's rates.");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("incidentops.ai.latency", "ms", "AI call latency.");

    public static void Record(AiCall call)
    {
        KeyValuePair<string, object?>[] tags = [new("service", call.Service), new("model", call.Model), new("outcome", call.Succeeded ? "ok" : "error")];
        Calls.Add(1, tags);
        Latency.Record(call.LatencyMs, tags);
        if (call.CostUsd > 0)
        {
            Cost.Add(call.CostUsd, new("service", call.Service), new("model", call.Model));
        }

        Tokens.Add(call.InputTokens, new("service", call.Service), new("model", call.Model), new("direction", "input"));
        Tokens.Add(call.OutputTokens, new("service", call.Service), new("model", call.Model), new("direction", "output"));
    }
}
