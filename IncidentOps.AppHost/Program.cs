using IncidentOps.AppHost;
using IncidentOps.Core;

var builder = DistributedApplication.CreateBuilder(args);

var redis = builder.AddIncidentOpsRedis();

var api = builder.AddProject<Projects.IncidentOps_Api>(ResourceNames.Api)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health")
    .WithDevelopmentIngestTokens(builder);

builder.AddProject<Projects.IncidentOps_Agents>(ResourceNames.Agents)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.IncidentOps_Metrics>(ResourceNames.Metrics)
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck("/health");

builder.AddIncidentOpsWeb(api);

builder.Build().Run();
