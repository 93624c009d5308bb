using System.Text.Json;
using IncidentOps.Agents.Actions;
using IncidentOps.Agents.Ai;
using IncidentOps.Agents.Extensions;
using IncidentOps.Agents.Phases.Diagnosis;
using IncidentOps.Agents.Pipeline;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Storage;
using IncidentOps.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace IncidentOps.Agents.Tests;

/// <summary>A real redis-server plus the Core store on it, for driving the pipeline directly.</summary>
public sealed class AgentsFixture : IAsyncLifetime
{
    public RedisServer Redis { get; } = new();

    public IncidentStore Store { get; private set; } = null!;

    public OpsEventLog Log { get; private set; } = null!;

    public Task InitializeAsync() => InitializeCoreAsync();

    public Task DisposeAsync() => Redis.DisposeAsync();

    public Task<string> OpenIncidentAsync(string summary, string severity = "critical", string service = "checkout-api") =>
        TestIncidents.OpenAsync(Store, summary, severity, service);

    /// <summary>A deploy of the service some minutes ago, in the change log (see <see cref="TestIncidents.DeployedAsync"/>).</summary>
    public Task DeployedAsync(string service, string version) =>
        TestIncidents.DeployedAsync(new ChangeLog(Redis.Connection, TimeProvider.System), service, version);

    /// <summary>A generic event with a dedup key this test chooses; alerts of one service and class group into one incident.</summary>
    public Task<IngestOutcome> TriggerAsync(string dedupKey, string summary, string service, string eventClass) =>
        IngestAsync(new PagerDutyEvent
        {
            RoutingKey = "team",
            EventAction = "trigger",
            DedupKey = $"{service}-{dedupKey}",
            Payload = new PagerDutyPayload { Summary = summary, Source = service, Severity = "error", Class = eventClass },
        });

    /// <summary>
    /// One Events v2 trigger of <paramref name="service"/> (its class and custom details as a monitoring tool sends them),
    /// diagnosed by the diagnosis agent as the worker registers it; the result as the worker records it.
    /// </summary>
    public async Task<DiagnosisResult> DiagnoseEventAsync(string service, string summary, string eventClass, object customDetails)
    {
        var outcome = await IngestAsync(new PagerDutyEvent
        {
            RoutingKey = "team",
            EventAction = "trigger",
            DedupKey = $"{service}-1",
            Payload = new PagerDutyPayload
            {
                Summary = summary, Source = service, Severity = "critical", Class = eventClass,
                CustomDetails = JsonSerializer.SerializeToElement(customDetails),
            },
        });
        var incident = (await Store.GetAsync(outcome.IncidentId!))!;
        var result = await Agent<DiagnosisAgent>().RunAsync(
            new AgentContext(incident, new Dictionary<AgentPhase, JsonElement>()), (_, _) => Task.CompletedTask, CancellationToken.None);
        return JsonSerializer.Deserialize<DiagnosisResult>(Core.Events.OpsJson.ToElement(result), Core.Events.OpsJson.Options)!;
    }

    public Task<IngestOutcome> ResolveAsync(string dedupKey, string service = "payments") =>
        IngestAsync(new PagerDutyEvent { RoutingKey = "team", EventAction = "resolve", DedupKey = $"{service}-{dedupKey}" });

    private Task<IngestOutcome> IngestAsync(PagerDutyEvent raw) => TestIncidents.IngestAsync(Store, raw);

    public async Task<IReadOnlyList<Core.Events.OpsEvent>> AgentEventsAsync(string incidentId)
    {
        var all = await Log.ReadAfterAsync(StreamId.Zero, 100_000);
        return [.. all.Where(e => e.IncidentId == incidentId && e.Type == Core.Events.EventTypes.AgentStateChanged)];
    }

    private async Task InitializeCoreAsync()
    {
        await Redis.InitializeAsync();
        Store = new IncidentStore(Redis.Connection);
        Log = new OpsEventLog(Redis.Connection);
    }

    public ActionStore Actions => new(Redis.Connection, TimeProvider.System);

    public ActionPlanner Planner(bool automaticReadOnly = false) =>
        new(Actions, Options.Create(new ActionOptions { AutomaticReadOnly = automaticReadOnly }), TimeProvider.System);

    public AttachmentStore Attachments => new(Redis.Connection, Log, TimeProvider.System);

    public ConcurrentIncidentReader ConcurrentIncidents => new(Store, new ChangeLog(Redis.Connection, TimeProvider.System));

    public AnalysisRequests AnalysisRequests => new(Redis.Connection, TimeProvider.System);

    /// <summary>The four agents as the worker registers them (local AI engine), in phase order.</summary>
    public IReadOnlyList<IAgent> Agents => [.. (_services ??= Services()).GetServices<IAgent>().OrderBy(a => a.Phase)];

    /// <summary>One agent as the worker registers it, with <paramref name="settings"/> over the defaults.</summary>
    public T Agent<T>(params (string Key, string Value)[] settings) where T : IAgent =>
        (settings.Length == 0 ? _services ??= Services() : Services(settings)).GetServices<IAgent>().OfType<T>().Single();

    /// <summary>
    /// The agents' services through the real registration (<c>AddIncidentAi</c> and <c>AddAgentPipeline</c>, as the
    /// worker's <c>AddApplicationServices</c> calls them) on this Redis, without the hosted worker.
    /// </summary>
    public IServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection([new("AI:Provider", "Local"), .. settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))]);
        builder.Services.AddSingleton<IConnectionMultiplexer>(Redis.Connection);
        builder.Services.AddLogging();
        builder.Services.AddIncidentOpsStorage();
        builder.Services.AddIncidentAi();
        builder.Services.AddAgentPipeline();
        return builder.Build().Services;
    }

    private IServiceProvider? _services;

    public static NullLogger<T> Logger<T>() => NullLogger<T>.Instance;

    public static (AgentPhase Phase, AgentState State) PhaseAndState(Core.Events.OpsEvent evt) =>
        (Enum.Parse<AgentPhase>(evt.Data.GetProperty("phase").GetString()!, ignoreCase: true),
         Enum.Parse<AgentState>(evt.Data.GetProperty("state").GetString()!, ignoreCase: true));
}
