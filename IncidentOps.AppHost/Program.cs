using IncidentOps.AppHost;
using IncidentOps.Core;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddIncidentOpsRedis();
var signIn = builder.AddIncidentOpsSignIn();

var api = builder.AddProject<Projects.IncidentOps_Api>(ResourceNames.Api)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithDevelopmentIngestTokens(builder)
    .WithSignIn(signIn)
    .WithSharedSettings(builder, "Metrics:Cost");

builder.AddProject<Projects.IncidentOps_Agents>(ResourceNames.Agents)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

// The cost assumptions are read by both the API (GET /api/v1/metrics/business) and the metrics worker.
builder.AddProject<Projects.IncidentOps_Metrics>(ResourceNames.Metrics)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithSharedSettings(builder, "Metrics:Cost");

builder.AddIncidentOpsWeb(api, signIn);

builder.Build().Run();
