using IncidentOps.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

public class StartupTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    [Fact]
    public void Outside_Development_the_API_refuses_to_start_without_ingest_tokens()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web => web
            .UseEnvironment("Production")
            .UseSetting($"ConnectionStrings:{ResourceNames.Redis}", api.Redis.ConnectionString)
            .UseSetting("Ingest:Tokens:Events", "only-this-one")
            .UseSetting("Ingest:CloudWatch:TopicArns:0", FakeSns.TopicArn));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Ingest:Tokens:Alertmanager", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Ingest:Tokens:Events", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_API_refuses_to_start_without_a_CloudWatch_topic_allowlist()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production").UseSetting($"ConnectionStrings:{ResourceNames.Redis}", api.Redis.ConnectionString);
            string[] sources = ["Events", "Alertmanager", "Grafana", "CloudWatch"];
            foreach (var source in sources)
            {
                web.UseSetting($"Ingest:Tokens:{source}", $"token-{source}");
            }
        });

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Ingest:CloudWatch:TopicArns", error.Message, StringComparison.Ordinal);
    }
}
