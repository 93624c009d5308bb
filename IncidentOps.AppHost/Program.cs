using IncidentOps.AppHost;
using IncidentOps.Core;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddIncidentOpsRedis();
var signIn = builder.AddIncidentOpsSignIn();

// The API's image twice: intake and REST as "api", the live hub for the screens as "hub" (Api:Role), so a crowd
// watching /ops is scaled apart from the intake of alerts (bench/README.md, "The hub apart, session 10").
var api = builder.AddProject<Projects.IncidentOps_Api>(ResourceNames.Api)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment(ApiRoleResources.Variable, ApiRoles.Api)
    .WithApiGcEnvironment()
    .WithHttpHealthCheck("/health")
    .WithDevelopmentIngestTokens(builder)
    .WithSignIn(signIn)
    .WithSharedSettings(builder, "Metrics:Cost");

var hub = builder.AddIncidentOpsHub(redis, signIn);

builder.AddProject<Projects.IncidentOps_Agents>(ResourceNames.Agents)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

// The cost assumptions are read by both the API (GET /api/v1/metrics/business) and the metrics worker.
builder.AddProject<Projects.IncidentOps_Metrics>(ResourceNames.Metrics)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithSharedSettings(builder, "Metrics:Cost");

builder.AddIncidentOpsWeb(api, hub, signIn);

builder.Build().Run();
