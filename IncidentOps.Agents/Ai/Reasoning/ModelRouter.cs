using IncidentOps.Core.Ai;
using IncidentOps.Core.Domain;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai.Reasoning;

/// <summary>One model to try, in order, and why it is in the list.</summary>
public sealed record RouteCandidate(string Tier, string Model, string Reason);

/// <summary>The routing decision: the task's complexity, and the models to try in order (the first is the choice).</summary>
public sealed record RouteDecision(double Complexity, IReadOnlyList<RouteCandidate> Candidates, string Reason);

/// <summary>
/// Picks the model tier by task complexity and remaining budget. Complexity (0..10) adds severity (0..3),
/// alert count (0..2), services involved (0..2), text length (0..1.5) and the phase asking (0..1.5).
/// Fallbacks go to the cheaper tiers first (their quotas are separate and they answer faster), then up.
/// </summary>
public sealed class ModelRouter(IOptions<AiOptions> options, AiUsageStore usage)
{
    public static double Complexity(Incident incident, AgentPhase phase, int textLength)
    {
        var severity = (int)incident.Severity;
        var alerts = Math.Min(2, (incident.Alerts.Count - 1) * 0.5);
        var services = Math.Min(2, incident.Alerts.Select(a => a.Service).Distinct(StringComparer.OrdinalIgnoreCase).Count() - 1);
        var text = Math.Min(1.5, textLength / 2000.0);
        var phaseWeight = phase switch
        {
            AgentPhase.Diagnosis => 1.5,
            AgentPhase.Resolution => 1.0,
            AgentPhase.Prediction => 0.5,
            _ => 0,
        };
        return Math.Round(severity + alerts + Math.Max(0, services) + text + phaseWeight, 2);
    }

    public async Task<RouteDecision> RouteAsync(IncidentAiContext context, int textLength)
    {
        var settings = options.Value;
        var tiers = settings.Models.Ordered();
        var complexity = Complexity(context.Incident, context.Phase, textLength);
        var chosen = settings.Routing.Thresholds.Count(t => complexity >= t);

        var spent = await usage.SpendLastHourAsync();
        var budget = settings.Routing.HourlyBudgetUsd;
        var cap = tiers.Count - 1;
        var budgetNote = budget <= 0 ? "no budget set" : $"{spent / budget:P0} of the ${budget:0.##}/h budget used";
        if (budget > 0 && spent >= budget)
        {
            cap = 0;
            budgetNote += ": over budget, cheapest tier only";
        }
        else if (budget > 0 && spent >= budget * settings.Routing.ConserveAt)
        {
            cap = Math.Min(cap, 2);
            budgetNote += ": conserving, Nova tiers only";
        }

        var tier = Math.Min(chosen, cap);
        var reason = $"complexity {complexity:0.0}/10 ({context.Incident.Severity.ToString().ToLowerInvariant()}, {context.Incident.Alerts.Count} alert(s), "
            + $"{textLength} chars, {context.Phase.ToString().ToLowerInvariant()}) → {tiers[tier].Tier}; {budgetNote}";
        var order = new List<int> { tier };
        order.AddRange(Enumerable.Range(0, tier).Reverse());
        order.AddRange(Enumerable.Range(tier + 1, cap - tier));
        var candidates = order.Select((t, i) => new RouteCandidate(tiers[t].Tier, tiers[t].ModelId, i == 0 ? reason : $"fallback to {tiers[t].Tier}")).ToList();
        return new RouteDecision(complexity, candidates, reason);
    }
}
