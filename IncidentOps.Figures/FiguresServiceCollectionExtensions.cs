using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace IncidentOps.Figures;

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
        services.AddOptions<CostOptions>().BindConfiguration(CostOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CostOptions>, CostOptionsValidation>();
        return services;
    }
}
