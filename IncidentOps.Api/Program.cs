using IncidentOps.Api.Apis;
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

app.MapDefaultEndpoints();
app.MapEventsApi();
app.MapAlertsApi();
app.MapCloudWatchApi();
app.MapIncidentsApi();
app.MapIncidentCommandsApi();
app.MapActionsApi();
app.MapChangesApi();
app.MapAttachmentsApi();
app.MapMetricsApi();
app.MapDashboardHealthApi();
app.MapAiApi();
app.MapDrillsApi();
app.MapAdminApi();
app.MapOpsHub();
app.MapApiDocument();

app.Run();

/// <summary>Entry point, visible to <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
