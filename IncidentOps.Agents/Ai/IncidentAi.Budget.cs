using System.Globalization;
using IncidentOps.Core.Ai;

namespace IncidentOps.Agents.Ai;

public sealed partial class IncidentAi
{
    /// <summary>How a refusal for budget starts: callers that say which engine answered tell it from a service failure by it.</summary>
    public const string BudgetRefusal = "refused: the hourly AI budget is spent";

    /// <summary>
    /// Null while paid calls may go out; once the last hour's spend reached <c>AI:Routing:HourlyBudgetUsd</c>, why
    /// they may not. Routing's cheapest-tier cap only slows spending: this stops it, for every paid service (Bedrock,
    /// Comprehend, Guardrails, Knowledge Bases, Q Business, Textract, an OpenAI-compatible endpoint), and the local
    /// engine answers. 0 means no budget. Calls already in flight may overshoot it by their own cost.
    /// </summary>
    private async Task<string?> BudgetRefusalAsync()
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
    private Task<AiCall> RecordBudgetRefusalAsync(string service, string model, string operation, IncidentAiContext? context, string why) =>
        accounting.RecordAsync(new AiCallFacts(AiServices.Local, "budget", operation, context, RouteReason: $"{service} {why}", FallbackFrom: model), accounting.Start());
}
