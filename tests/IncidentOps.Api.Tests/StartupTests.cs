using IncidentOps.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Tests;

/// <summary>Outside Development a missing security setting stops the API at start, with the setting's name.</summary>
public class StartupTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly (string, string)[] AllTokens =
        [("Ingest:Tokens:Events", "e"), ("Ingest:Tokens:Alertmanager", "a"), ("Ingest:Tokens:Grafana", "g"), ("Ingest:Tokens:CloudWatch", "c")];

    private WebApplicationFactory<Program> Production(params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production").UseSetting($"ConnectionStrings:{ResourceNames.Redis}", api.Redis.ConnectionString);
            foreach (var (key, value) in settings)
            {
                web.UseSetting(key, value);
            }
        });

    [Fact]
    public void Outside_Development_the_API_refuses_to_start_without_ingest_tokens()
    {
        using var factory = Production(("Ingest:Tokens:Events", "only-this-one"), ("Auth:Authority", "https://issuer.example.com/"),
            ("Ingest:CloudWatch:TopicArns:0", FakeSns.TopicArn));

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Ingest:Tokens:Alertmanager", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Ingest:Tokens:Events", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_API_refuses_to_start_without_sign_in()
    {
        using var factory = Production([.. AllTokens, ("Ingest:CloudWatch:TopicArns:0", FakeSns.TopicArn)]);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Auth:Authority", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_Development_the_API_refuses_to_start_without_a_CloudWatch_topic_allowlist()
    {
        using var factory = Production([.. AllTokens, ("Auth:Authority", "https://issuer.example.com/")]);

        var error = Assert.Throws<OptionsValidationException>(() => factory.Server);

        Assert.Contains("Ingest:CloudWatch:TopicArns", error.Message, StringComparison.Ordinal);
    }
}
