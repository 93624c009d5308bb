using IncidentOps.Api.Access;
using IncidentOps.Api.Apis;
using IncidentOps.Api.Hubs;
using IncidentOps.Api.Model;
using IncidentOps.Core;
using IncidentOps.Core.Ingest.Sources;
using IncidentOps.Core.Events;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using IncidentOps.Figures;

namespace IncidentOps.Api.Extensions;

public static class Extensions
{
    private const string WebCorsPolicy = "web";

    /// <summary>
    /// Everything this process serves (<see cref="ApiRole"/>): Redis, the store, sign-in and limits, CORS for the dashboards;
    /// with intake, the ingest sources and the REST API's services; with the hub, the live hub and its tail of the event log.
    /// </summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var role = ApiRole.Read(builder.Configuration);
        builder.Services.AddSingleton(role);

        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddIncidentOpsStorage();
        builder.Services.AddBusinessFigures();

        builder.AddSignIn();
        builder.Services.AddRequestLimits();
        builder.Services.AddOptions<IngestAdmissionOptions>().BindConfiguration(IngestAdmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IngestAdmission>();
        builder.Services.AddOptions<HubLimitOptions>().BindConfiguration(HubLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<HubIdentityLimits>();
        // Counted on every process (0 where no screen connects), so /dashboard/health/detailed reads the same everywhere.
        builder.Services.AddSingleton<HubConnectionCounter>();

        // Kestrel's socket transport (IOQueueCount, UnsafePreferInlineScheduling, ...) from Kestrel:Sockets, so an operator or a
        // bench run can set it without a build. Inline scheduling is on unless the section says otherwise: a connection's
        // socket send runs on the thread that flushed it instead of queueing once more, and with the hub's handout in lanes
        // the 5,000-screen p99 was lower in four pairs of four and intake faster (bench/README.md, "Fan-out, session 27").
        // Safe here because nothing on the request path blocks and the runtime's socket completions stay on the pool.
        builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        builder.Services.Configure<SocketTransportOptions>(builder.Configuration.GetSection("Kestrel:Sockets"));

        builder.Services.AddSingleton<RedisConnectionWatch>();
        builder.Services.AddExceptionHandler<RedisUnavailable>();
        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            foreach (var converter in OpsJson.Options.Converters)
            {
                options.SerializerOptions.Converters.Add(converter);
            }
        });

        if (role.ServesIntake)
        {
            builder.AddIntakeServices();
        }

        if (role.ServesHub)
        {
            builder.AddLiveHub();
        }

        // Exact origins only: the dashboards' origin as the AppHost or the deployment names it.
        var origins = HubOrigins.Read(builder.Configuration);
        builder.Services.AddSingleton(new HubOrigins(origins));
        builder.Services.AddCors(cors => cors.AddPolicy(WebCorsPolicy, policy => policy
            .WithOrigins(origins)
            .WithHeaders("Authorization", "Content-Type", "X-Requested-With", "X-SignalR-User-Agent")
            .WithMethods("GET", "POST", "PUT", "DELETE")
            .AllowCredentials()));
    }

    /// <summary>The ingest sources (tokens, SNS, hardening), drills and the quiet-period sweep: what only intake needs.</summary>
    private static void AddIntakeServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<IngestTokenOptions>().BindConfiguration(IngestTokenOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<IngestTokenOptions>, IngestTokenValidation>();
        builder.Services.AddSingleton<IngestTokens>();

        builder.Services.AddHttpClient(Apis.CloudWatchApi.SnsHttpClient, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<ISnsCertificateSource>(sp =>
            new HttpSnsCertificateSource(sp.GetRequiredService<IHttpClientFactory>().CreateClient(Apis.CloudWatchApi.SnsHttpClient)));
        builder.Services.AddSingleton<SnsSignatureVerifier>();
        builder.Services.AddIngestHardening();

        builder.AddApiDocument();
        builder.Services.AddSingleton<ScenarioCorpus>();
        builder.Services.AddHostedService<QuietPeriodWorker>();
    }

    /// <summary>The live hub: SignalR with the frame protocol, and the broadcaster that tails <c>ops:events</c> for it.</summary>
    private static void AddLiveHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR().AddJsonProtocol(options =>
        {
            foreach (var converter in OpsJson.Options.Converters)
            {
                options.PayloadSerializerOptions.Converters.Add(converter);
            }
        });
        // The same JSON protocol, a frame's stream item written straight from the frame's JSON, serialized once for all.
        builder.Services.Replace(ServiceDescriptor.Singleton<IHubProtocol, FrameHubProtocol>());
        builder.Services.AddSingleton<OpsEventBroadcaster>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OpsEventBroadcaster>());
    }

    /// <summary>
    /// The endpoints of this process's role: health everywhere; with intake, the webhooks, the REST API and its document;
    /// with the hub, <c>/hubs/ops</c>. A route of the other role is not mapped here, so it answers 404.
    /// </summary>
    public static WebApplication MapApplicationEndpoints(this WebApplication app)
    {
        var role = app.Services.GetRequiredService<ApiRole>();
        app.MapDefaultEndpoints();
        app.MapDashboardHealthApi();
        if (role.ServesIntake)
        {
            app.MapEventsApi();
            app.MapAlertsApi();
            app.MapCloudWatchApi();
            app.MapIncidentsApi();
            app.MapIncidentCommandsApi();
            app.MapActionsApi();
            app.MapChangesApi();
            app.MapAttachmentsApi();
            app.MapMetricsApi();
            app.MapAiApi();
            app.MapDrillsApi();
            app.MapAdminApi();
            app.MapApiDocument();
        }

        if (role.ServesHub)
        {
            app.MapOpsHub();
        }

        return app;
    }

    /// <summary>
    /// CORS for the dashboards, the hub's Origin check, who is asking (OIDC token or API key), rate limits per
    /// identity, the route groups' policies, and the audit of changes. In that order: limits know the identity.
    /// </summary>
    public static WebApplication UseAccessControl(this WebApplication app)
    {
        app.UseCors(WebCorsPolicy);
        app.Use((context, next) => HubOrigins.CheckAsync(context, () => next(context)));
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseMiddleware<IngestAdmission>();
        app.UseAuthorization();
        app.UseMiddleware<AuditMiddleware>();
        return app;
    }
}
