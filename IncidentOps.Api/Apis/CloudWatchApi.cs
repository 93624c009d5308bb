using System.Text.Json;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Events;
using IncidentOps.Core.Ingest.Sources;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

/// <summary>CloudWatch alarms through an SNS HTTPS subscription: every message's signature is verified first.</summary>
public static class CloudWatchApi
{
    public const string SnsHttpClient = "sns";

    public static IEndpointRouteBuilder MapCloudWatchApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/alerts").WithTags("Ingest").DisableAntiforgery().RequireIngestToken(IngestSources.CloudWatch);
        foreach (var route in new[] { "/cloudwatch", "/cloudwatch/{token}" })
        {
            api.MapPost(route, ReceiveAsync)
                .AcceptsJson<SnsMessage>("text/plain")
                .WithName(route.Contains('{', StringComparison.Ordinal) ? "PostCloudWatchWithToken" : "PostCloudWatch")
                .WithSummary("Amazon SNS deliveries of CloudWatch alarm state changes. Token: in the path (or Authorization: Bearer).");
        }

        return app;
    }

    public static async Task<Results<Ok<SnsAnswer>, Accepted<DeliveryAccepted>, ValidationProblem, ProblemHttpResult>> ReceiveAsync(
        HttpRequest request, [AsParameters] AlertServices services, SnsSignatureVerifier verifier, SnsTopicAllowlist topics, IHttpClientFactory httpClients,
        ILogger<SnsAnswer> logger, CancellationToken cancellationToken)
    {
        if (!await services.Tokens.IsAuthorisedAsync(IngestSources.CloudWatch, request))
        {
            return ApiProblems.Unauthorized(IngestSources.CloudWatch);
        }

        var (message, problem) = await JsonBody.ReadAsync<SnsMessage>(request, services.Options.Value.MaxBodyBytes, cancellationToken, anyContentType: true);
        if (problem is not null)
        {
            return problem;
        }

        if (string.IsNullOrWhiteSpace(message!.MessageId) || string.IsNullOrWhiteSpace(message.Type))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Not an SNS message", "Type and MessageId are required.", string.IsNullOrWhiteSpace(message.Type) ? "Type" : "MessageId");
        }

        if (!topics.Allows(message.TopicArn))
        {
            ApiLog.SnsRejected(logger, message.MessageId, "topic not in Ingest:CloudWatch:TopicArns");
            return ApiProblems.Create(StatusCodes.Status403Forbidden, "SNS topic not allowed", $"SNS message {message.MessageId} comes from a topic that is not in Ingest:CloudWatch:TopicArns.", "TopicArn");
        }

        var refusal = await verifier.VerifyAsync(message, cancellationToken);
        if (refusal is not null)
        {
            ApiLog.SnsRejected(logger, message.MessageId, refusal);
            return ApiProblems.Create(StatusCodes.Status403Forbidden, "SNS message rejected", $"SNS message {message.MessageId} rejected: {refusal}", "Signature");
        }

        switch (message.Type)
        {
            case SnsMessage.SubscriptionConfirmation:
                return await ConfirmAsync(message, httpClients, logger, cancellationToken);
            case SnsMessage.UnsubscribeConfirmation:
                return TypedResults.Ok(new SnsAnswer("unsubscribed", message.TopicArn));
            case SnsMessage.Notification:
                break;
            default:
                return ApiProblems.Create(StatusCodes.Status400BadRequest, "Unknown SNS message type", $"Type must be Notification, SubscriptionConfirmation or UnsubscribeConfirmation (got '{message.Type}').", "Type");
        }

        CloudWatchAlarm? alarm;
        try
        {
            alarm = JsonSerializer.Deserialize<CloudWatchAlarm>(message.Message ?? "null", OpsJson.Options);
        }
        catch (JsonException ex)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Not a CloudWatch alarm", $"Message is not a CloudWatch alarm JSON document: {ex.Message}", "Message");
        }

        if (alarm is null)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Not a CloudWatch alarm", "Message is empty.", "Message");
        }

        var (alert, errors) = CloudWatchNormaliser.Normalise(alarm, message.MessageId);
        if (alert is null)
        {
            return ApiProblems.Validation(errors, "The CloudWatch alarm is not valid.");
        }

        // SNS redelivers with the same MessageId: the delivery log makes the second one change nothing.
        return TypedResults.Accepted((string?)null, await AlertsApi.IngestDeliveryAsync(CloudWatchNormaliser.Source, message.MessageId, [alert], services));
    }

    private static async Task<Results<Ok<SnsAnswer>, Accepted<DeliveryAccepted>, ValidationProblem, ProblemHttpResult>> ConfirmAsync(
        SnsMessage message, IHttpClientFactory httpClients, ILogger logger, CancellationToken cancellationToken)
    {
        if (!SnsSignatureVerifier.IsAllowedSnsUrl(message.SubscribeUrl, out var subscribe))
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "SubscribeURL refused", "SubscribeURL must be an https URL on sns.<region>.amazonaws.com.", "SubscribeURL");
        }

        try
        {
            using var response = await httpClients.CreateClient(SnsHttpClient).GetAsync(subscribe, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return ApiProblems.Create(StatusCodes.Status502BadGateway, "Subscription not confirmed", $"SNS answered {(int)response.StatusCode} to the confirmation.");
            }
        }
        catch (HttpRequestException ex)
        {
            return ApiProblems.Create(StatusCodes.Status502BadGateway, "Subscription not confirmed", $"SNS could not be reached to confirm: {ex.Message}");
        }

        ApiLog.SnsSubscribed(logger, message.TopicArn);
        return TypedResults.Ok(new SnsAnswer("subscribed", message.TopicArn));
    }
}

public sealed record SnsAnswer(string Status, string? TopicArn);
