using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.AwsSmoke;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

// One minimal, cheap call to each configured AWS AI service through IncidentOps's own clients: scripts/aws-smoke.sh.
// Settings as the agents read them (section AI, e.g. AI__KnowledgeBaseId); exit 1 when a service did not answer.
if (!AwsCredentialSource.AreConfigured())
{
    Console.WriteLine(SmokeRun.NoCredentials);
    return 0;
}

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = args });
builder.Configuration
    .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "agents.appsettings.json"), optional: false)
    .AddEnvironmentVariables()
    .AddCommandLine(args);
// The point is to reach AWS: Bedrock whatever AI:Provider says.
builder.Configuration[$"{AiOptions.Section}:{nameof(AiOptions.Provider)}"] = nameof(AiProvider.Bedrock);
builder.Services.AddLogging();
builder.Services.AddIncidentAi();
using var host = builder.Build();
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
return await new SmokeRun(host.Services, Console.Out).RunAsync(cancel.Token);
