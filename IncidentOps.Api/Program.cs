using IncidentOps.Api.Extensions;
using IncidentOps.Api.Hubs;

HubBufferPool.Configure(); // before anything rents from the shared pool

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();

app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAccessControl();
app.UseFrameSockets();

// What is mapped follows Api:Role (all, api or hub): see ApiRole.
app.MapApplicationEndpoints();

app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
