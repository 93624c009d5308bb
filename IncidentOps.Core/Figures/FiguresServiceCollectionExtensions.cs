using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentOps.Core.Figures;

public static class FiguresServiceCollectionExtensions
{
    /// <summary>
    /// The incident facts store and the business figures calculator, with the cost assumptions bound from
    /// <c>Metrics:Cost</c> and validated on start. Needs <c>AddIncidentOpsStorage</c>.
    /// </summary>
    public static IServiceCollection AddBusinessFigures(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FactStore>();
        services.AddSingleton<BusinessCalculator>();
        services.AddSingleton<BusinessFiguresCache>();
        services.AddOptions<CostOptions>()
            .BindConfiguration(CostOptions.Section)
            .Validate(o => o.IsValid, "Metrics:Cost: costs must be ≥ 0 and baseline MTTRs > 0 (minutes).")
            .ValidateOnStart();
        return services;
    }
}
