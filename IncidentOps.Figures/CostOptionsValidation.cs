using IncidentOps.Core.Domain;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace IncidentOps.Figures;

/// <summary>
/// Checks <c>Metrics:Cost</c> at start, naming the key: negative costs, non-positive baselines, and severity names the
/// binder would silently drop (<c>CostPerMinute:Urgent</c>), which would otherwise surface only as "not configured".
/// </summary>
public sealed class CostOptionsValidation(IConfiguration configuration) : IValidateOptions<CostOptions>
{
    public ValidateOptionsResult Validate(string? name, CostOptions options)
    {
        var failures = new List<string>();
        foreach (var table in new[] { nameof(CostOptions.CostPerMinute), nameof(CostOptions.BaselineMttrMinutes) })
        {
            foreach (var child in configuration.GetSection($"{CostOptions.Section}:{table}").GetChildren())
            {
                if (!Enum.TryParse<Severity>(child.Key, ignoreCase: true, out var severity) || !Enum.IsDefined(severity) || int.TryParse(child.Key, out _))
                {
                    failures.Add($"{child.Path}: '{child.Key}' is not a severity (critical, error, warning, info).");
                }
            }
        }

        failures.AddRange(options.CostPerMinute.Where(p => p.Value < 0 || !double.IsFinite(p.Value))
            .Select(p => $"{CostOptions.Section}:CostPerMinute:{p.Key} must be ≥ 0 (got {p.Value})."));
        failures.AddRange(options.BaselineMttrMinutes.Where(p => p.Value <= 0 || !double.IsFinite(p.Value))
            .Select(p => $"{CostOptions.Section}:BaselineMttrMinutes:{p.Key} must be > 0 minutes (got {p.Value})."));
        if (options.ResponderHourlyCost is < 0)
        {
            failures.Add($"{CostOptions.Section}:ResponderHourlyCost must be ≥ 0 (got {options.ResponderHourlyCost}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
