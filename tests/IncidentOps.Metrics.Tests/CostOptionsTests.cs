using IncidentOps.Core;
using IncidentOps.Core.Domain;
using IncidentOps.Figures;
using IncidentOps.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IncidentOps.Metrics.Tests;

public class CostOptionsTests(RedisServer redis) : IClassFixture<RedisServer>
{
    private WebApplicationFactory<Program> Worker(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Testing").UseSetting($"ConnectionStrings:{ResourceNames.Redis}", redis.ConnectionString);
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });

    [Fact]
    public void Cost_assumptions_bind_by_severity_name()
    {
        using var worker = Worker(("Metrics:Cost:CostPerMinute:Critical", "120.5"), ("Metrics:Cost:BaselineMttrMinutes:warning", "90"),
            ("Metrics:Cost:ResponderHourlyCost", "80"), ("Metrics:Cost:Currency", "EUR"));

        var cost = worker.Services.GetRequiredService<IOptions<CostOptions>>().Value;

        Assert.Equal(120.5, cost.CostPerMinute[Severity.Critical]);
        Assert.Equal(90, cost.BaselineMttrMinutes[Severity.Warning]);
        Assert.Equal((80.0, "EUR"), (cost.ResponderHourlyCost!.Value, cost.Currency));
    }

    [Theory]
    [InlineData("Metrics:Cost:CostPerMinute:Critical", "-5")]
    [InlineData("Metrics:Cost:BaselineMttrMinutes:Error", "0")]
    [InlineData("Metrics:Cost:ResponderHourlyCost", "-1")]
    [InlineData("Metrics:Cost:CostPerMinute:Urgent", "5")]
    public void A_wrong_cost_assumption_stops_the_worker_at_start(string key, string value)
    {
        using var worker = Worker((key, value));

        var error = Assert.ThrowsAny<Exception>(() => worker.Server);
        Assert.Contains("Metrics:Cost", error.ToString(), StringComparison.Ordinal);
    }
}
