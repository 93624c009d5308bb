using System.Diagnostics;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Ingest;
using IncidentOps.Core.Ingest.Sources;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Apis;

/// <summary>Webhooks from monitoring tools: Prometheus Alertmanager and Grafana alerting.</summary>
public static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts").WithTags("Ingest").DisableAntiforgery();

        // The token may come in the path because that is what some tools can send.
        foreach (var route in new[] { "/alertmanager", "/alertmanager/{token}" })
        {
            api.MapPost(route, (HttpRequest request, [AsParameters] AlertServices services, CancellationToken ct) =>
                    ReceiveAsync(request, AlertmanagerNormaliser.AlertmanagerSource, IngestSources.Alertmanager, services, ct))
                .RequireIngestToken(IngestSources.Alertmanager)
                .AcceptsJson<AlertmanagerPayload>()
                .WithName(route.Contains('{', StringComparison.Ordinal) ? "PostAlertmanagerWithToken" : "PostAlertmanager")
                .WithSummary("Prometheus Alertmanager webhook (version 4). Token: Authorization: Bearer, or in the path.");
        }

        foreach (var route in new[] { "/grafana", "/grafana/{token}" })
        {
            api.MapPost(route, (HttpRequest request, [AsParameters] AlertServices services, CancellationToken ct) =>
                    ReceiveAsync(request, AlertmanagerNormaliser.GrafanaSource, IngestSources.Grafana, services, ct))
                .RequireIngestToken(IngestSources.Grafana)
                .AcceptsJson<AlertmanagerPayload>()
                .WithName(route.Contains('{', StringComparison.Ordinal) ? "PostGrafanaWithToken" : "PostGrafana")
                .WithSummary("Grafana alerting webhook. Token: Authorization: Bearer, or in the path.");
        }

        return app;
    }

    public static async Task<Results<Accepted<DeliveryAccepted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, string source, string tokenSource, AlertServices services, CancellationToken cancellationToken)
    {
        if (!await services.Tokens.IsAuthorisedAsync(tokenSource, request))
        {
            return ApiProblems.Unauthorized(tokenSource);
        }

        var (body, problem) = await JsonBody.ReadAsync<AlertmanagerPayload>(request, services.Options.Value.MaxBodyBytes, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (alerts, errors) = AlertmanagerNormaliser.Normalise(body!, source);
        if (errors.Count > 0)
        {
            return ApiProblems.Validation(errors, $"The {source} webhook body is not valid.");
        }

        // Identity of the delivery: what it says about its alerts, not which peer sent it or when.
        var deliveryId = IncomingAlert.Hash(string.Join('\n', alerts.Select(a => $"{a.Fingerprint}:{a.ContentHash()}")))[..32];
        return TypedResults.Accepted((string?)null, await IngestDeliveryAsync(source, deliveryId, alerts, services));
    }

    /// <summary>Correlates every alert of one delivery, once: a repeated delivery changes nothing.</summary>
    public static async Task<DeliveryAccepted> IngestDeliveryAsync(string source, string deliveryId, IReadOnlyList<IncomingAlert> alerts, AlertServices services)
    {
        if (await services.Deliveries.SeenAsync(source, deliveryId))
        {
            return new DeliveryAccepted("duplicate", deliveryId, []);
        }

        using var activity = ApiTelemetry.Source.StartActivity($"ingest {source} delivery");
        activity?.SetTag("incidentops.alert_count", alerts.Count);
        var results = new List<AlertOutcome>();
        foreach (var alert in alerts)
        {
            var outcome = await services.Correlator.IngestAsync(alert, Activity.Current?.Id);
            ApiTelemetry.Record(outcome.Status);
            results.Add(new AlertOutcome(alert.Fingerprint, outcome.IncidentId, outcome.Status.ToString().ToLowerInvariant(), outcome.Message));
        }

        await services.Deliveries.RememberAsync(source, deliveryId);
        return new DeliveryAccepted("processed", deliveryId, results);
    }
}

public sealed record AlertServices(AlertCorrelator Correlator, DeliveryLog Deliveries, IngestTokens Tokens, IOptions<IngestOptions> Options);

public sealed record DeliveryAccepted(string Delivery, string DeliveryId, IReadOnlyList<AlertOutcome> Alerts);

public sealed record AlertOutcome(string Fingerprint, string? IncidentId, string Outcome, string Message);
