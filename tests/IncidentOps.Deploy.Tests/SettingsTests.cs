using Amazon.CDK;

namespace IncidentOps.Deploy.Tests;

/// <summary>A wrong setting stops the synth with the key's name, before anything is built.</summary>
[Collection(SynthCollection.Name)]
public sealed class SettingsTests
{
    [Theory]
    [InlineData("redisEngine", "redis-cluster", "Context 'redisEngine' is 'redis-cluster': expected memorydb or elasticache.")]
    [InlineData("maxAzs", "4", "Context 'maxAzs' is '4': expected 2 or 3")]
    [InlineData("apiMaxTasks", "lots", "Context 'apiMaxTasks' is 'lots': expected a whole number.")]
    [InlineData("hubMinTasks", "0", "Context 'hubMaxTasks' is '10': expected at least hubMinTasks (0), which is at least 1.")]
    [InlineData("hubConnectionsPerTask", "0", "Context 'hubConnectionsPerTask' is '0': expected at least 1.")]
    [InlineData("domainName", "ops.example.com", "domainName and certificateArn go together")]
    [InlineData("agentId", "AGENT1", "agentId and agentAliasId go together")]
    [InlineData("retainData", "maybe", "Context 'retainData' is 'maybe': expected true or false.")]
    public void A_bad_setting_names_its_key(string key, string value, string message)
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { [key] = value } });

        var error = Assert.ThrowsAny<ArgumentException>(() => DeploySettings.FromContext(app.Node));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_NAT_and_no_endpoints_is_refused_because_tasks_could_not_pull_images()
    {
        var app = new App(new AppProps { Context = new Dictionary<string, object> { ["natGateways"] = "0", ["vpcEndpoints"] = "false" } });

        var error = Assert.Throws<ArgumentException>(() => DeploySettings.FromContext(app.Node));
        Assert.Contains("no way to pull images", error.Message, StringComparison.Ordinal);
    }
}
