using IncidentOps.Api.Hubs;

namespace IncidentOps.Api.Tests;

/// <summary>
/// The shared buffer pool's size for thousands of hub connections is set from Main (the runtime reads it from the
/// environment once, when the pool is first used; its effect is measured by the fan-out bench, bench/README.md).
/// </summary>
[Collection(nameof(HubBufferPoolTests))] // changes this process's environment
public class HubBufferPoolTests
{
    [Fact]
    public void Sets_the_pool_size_when_the_environment_does_not_and_keeps_an_operators_value()
    {
        var before = Environment.GetEnvironmentVariable(HubBufferPool.Variable);
        try
        {
            Environment.SetEnvironmentVariable(HubBufferPool.Variable, null);
            HubBufferPool.Configure();
            Assert.Equal("4096", Environment.GetEnvironmentVariable(HubBufferPool.Variable));

            Environment.SetEnvironmentVariable(HubBufferPool.Variable, "64");
            HubBufferPool.Configure();
            Assert.Equal("64", Environment.GetEnvironmentVariable(HubBufferPool.Variable));
        }
        finally
        {
            Environment.SetEnvironmentVariable(HubBufferPool.Variable, before);
        }
    }
}
