using Amazon.Runtime;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Extensions;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace IncidentOps.Ai.Tests;

/// <summary>The fixed test credentials, which the fake endpoint verifies signatures with.</summary>
public sealed class TestCredentials : AwsCredentialSource
{
    public override AWSCredentials Credentials { get; } = new BasicAWSCredentials(FakeAws.AccessKey, FakeAws.Secret);
}

/// <summary>Credentials whose secret the fake does not know.</summary>
public sealed class WrongCredentials : AwsCredentialSource
{
    public override AWSCredentials Credentials { get; } = new BasicAWSCredentials(FakeAws.AccessKey, "not-the-secret-the-fake-verifies-with-00");
}

/// <summary>A machine with no AWS credentials anywhere in the chain.</summary>
public sealed class NoCredentials : AwsCredentialSource
{
    public override AWSCredentials Credentials => throw new AmazonClientException("Failed to resolve AWS credentials. The credential providers used to search for credentials returned the following errors: ...");
}

/// <summary>A real redis-server and the fake AWS endpoint, plus a way to build the AI layer on them with any settings.</summary>
public sealed class AiFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public FakeAws Aws { get; } = new();

    public async Task InitializeAsync()
    {
        await Redis.InitializeAsync();
        await Aws.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Aws.DisposeAsync();
        await Redis.DisposeAsync();
    }

    /// <summary>The AI layer's services (and the agents on them, as the worker registers both) with <c>AI:*</c> settings (endpoints on the fake, fast retries) plus <paramref name="settings"/>.</summary>
    public IServiceProvider Services(params (string Key, string Value)[] settings) => Services(new TestCredentials(), settings);

    public IServiceProvider Services(AwsCredentialSource credentials, params (string Key, string Value)[] settings) =>
        Services(credentials, TimeProvider.System, settings);

    /// <summary>The AI layer on the given clock (a test moves it instead of waiting).</summary>
    public IServiceProvider Services(TimeProvider time, params (string Key, string Value)[] settings) =>
        Services(new TestCredentials(), time, settings);

    private IServiceProvider Services(AwsCredentialSource credentials, TimeProvider time, (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        var config = new Dictionary<string, string?>
        {
            ["AI:Provider"] = "Bedrock",
            ["AI:Region"] = FakeAws.Region,
            ["AI:RetryBaseDelayMs"] = "20",
            ["AI:MaxRetries"] = "2",
            ["AI:AttemptTimeoutSeconds"] = "5",
            ["AI:UseComprehend"] = "false",
            ["AI:Retrieval:RefreshSeconds"] = "0",
            ["AI:Prices:nova-micro:InputPer1K"] = "0.000035",
            ["AI:Prices:nova-micro:OutputPer1K"] = "0.00014",
            ["AI:Prices:nova-pro:InputPer1K"] = "0.0008",
            ["AI:Prices:nova-pro:OutputPer1K"] = "0.0032",
            ["AI:Prices:nova-lite:InputPer1K"] = "0.00006",
            ["AI:Prices:nova-lite:OutputPer1K"] = "0.00024",
            ["AI:Prices:comprehend:PerRequest"] = "0.0003",
            // A provider's first phase loads its models (MiniLM, the runbooks' embeddings): 20 s was too short on a loaded
            // 2-core machine, and no test here is about phase time-outs.
            ["Agents:PhaseTimeoutSeconds"] = "120",
            ["Agents:MaxAttemptsPerPhase"] = "1",
        };
        foreach (var name in new[] { "BedrockRuntime", "BedrockAgentRuntime", "QBusiness", "Comprehend", "Textract" })
        {
            config[$"AI:Endpoints:{name}"] = Aws.Url;
        }

        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.Services.AddSingleton<IConnectionMultiplexer>(Redis.Connection);
        builder.Services.AddLogging();
        builder.Services.AddSingleton(time);
        builder.Services.AddIncidentOpsStorage();
        builder.Services.AddSingleton(credentials);
        builder.Services.AddIncidentAi();
        builder.Services.AddAgentPipeline();
        return builder.Build().Services;
    }

    /// <summary>Model ids of this test's own, so health and fallbacks recorded by other tests (same Redis) do not leak in.</summary>
    public static (string Key, string Value)[] OwnModels(string tag) =>
    [
        ("AI:Models:NovaMicro", $"{tag}.nova-micro-v1:0"), ("AI:Models:NovaLite", $"{tag}.nova-lite-v1:0"), ("AI:Models:NovaPro", $"{tag}.nova-pro-v1:0"),
        ("AI:Models:ClaudeHaiku", $"{tag}.claude-haiku-v1:0"), ("AI:Models:ClaudeSonnet", $"{tag}.claude-sonnet-v1:0"),
    ];

    public async Task<Incident> OpenIncidentAsync(string summary, string severity = "critical", string service = "checkout-api")
    {
        var store = new IncidentStore(Redis.Connection);
        return (await store.GetAsync(await TestIncidents.OpenAsync(store, summary, severity, service)))!;
    }
}

[CollectionDefinition(Name)]
public sealed class AiTests : ICollectionFixture<AiFixture>
{
    public const string Name = "ai";
}
