using IncidentOps.Api.Hubs;
using IncidentOps.Api.Model;
using IncidentOps.Core;
using IncidentOps.Core.Ingest.Sources;
using IncidentOps.Core.Events;
using Microsoft.Extensions.Options;
using IncidentOps.Core.Figures;

namespace IncidentOps.Api.Extensions;

public static class Extensions
{
    private const string WebCorsPolicy = "web";

    /// <summary>Everything the API needs: Redis, the store, the live hub and its tail of the event log, CORS for the dashboards.</summary>
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddRedisClient(ResourceNames.Redis);
        builder.Services.AddIncidentOpsStorage();
        builder.Services.AddBusinessFigures();

        builder.Services.AddOptions<IngestOptions>()
            .BindConfiguration(IngestOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        builder.Services.AddOptions<IngestTokenOptions>().BindConfiguration(IngestTokenOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<IngestTokenOptions>, IngestTokenValidation>();
        builder.Services.AddSingleton<IngestTokens>();
        builder.Services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidation>();
        builder.Services.AddSingleton<OperatorIdentity>();

        builder.Services.AddHttpClient(Apis.CloudWatchApi.SnsHttpClient, http => http.Timeout = TimeSpan.FromSeconds(10));
        builder.Services.AddSingleton<ISnsCertificateSource>(sp =>
            new HttpSnsCertificateSource(sp.GetRequiredService<IHttpClientFactory>().CreateClient(Apis.CloudWatchApi.SnsHttpClient)));
        builder.Services.AddSingleton<SnsSignatureVerifier>();
        builder.Services.AddIngestHardening();

        builder.Services.AddProblemDetails();
        builder.Services.ConfigureHttpJsonOptions(options =>
        {
            foreach (var converter in OpsJson.Options.Converters)
            {
                options.SerializerOptions.Converters.Add(converter);
            }
        });

        builder.Services.AddSignalR().AddJsonProtocol(options =>
        {
            foreach (var converter in OpsJson.Options.Converters)
            {
                options.PayloadSerializerOptions.Converters.Add(converter);
            }
        });
        builder.Services.AddSingleton<HubConnectionCounter>();
        builder.Services.AddSingleton<OpsEventBroadcaster>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<OpsEventBroadcaster>());
        builder.Services.AddHostedService<QuietPeriodWorker>();

        var origins = builder.Configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? [];
        var isDevelopment = builder.Environment.IsDevelopment();
        builder.Services.AddCors(cors => cors.AddPolicy(WebCorsPolicy, policy => policy
            .SetIsOriginAllowed(origin => origins.Contains(origin, StringComparer.OrdinalIgnoreCase) || (isDevelopment && IsLoopback(origin)))
            .AllowAnyHeader()
            .AllowAnyMethod()
            .AllowCredentials()));
    }

    /// <summary>Lets the dashboards (another origin) call the API and the hub with credentials.</summary>
    public static WebApplication UseWebCors(this WebApplication app)
    {
        app.UseCors(WebCorsPolicy);
        return app;
    }

    private static bool IsLoopback(string origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.IsLoopback;
}
