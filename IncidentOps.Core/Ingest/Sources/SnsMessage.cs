using System.Text.Json.Serialization;

namespace IncidentOps.Core.Ingest.Sources;

/// <summary>An Amazon SNS HTTP(S) delivery: a Notification, SubscriptionConfirmation or UnsubscribeConfirmation.</summary>
public sealed record SnsMessage
{
    public string? Type { get; init; }

    public string? MessageId { get; init; }

    public string? Token { get; init; }

    public string? TopicArn { get; init; }

    public string? Subject { get; init; }

    public string? Message { get; init; }

    public string? Timestamp { get; init; }

    public string? SignatureVersion { get; init; }

    public string? Signature { get; init; }

    [JsonPropertyName("SigningCertURL")]
    public string? SigningCertUrl { get; init; }

    [JsonPropertyName("SubscribeURL")]
    public string? SubscribeUrl { get; init; }

    [JsonPropertyName("UnsubscribeURL")]
    public string? UnsubscribeUrl { get; init; }

    public const string Notification = "Notification";
    public const string SubscriptionConfirmation = "SubscriptionConfirmation";
    public const string UnsubscribeConfirmation = "UnsubscribeConfirmation";

    /// <summary>
    /// The text SNS signed: fixed keys in byte order, each "key\nvalue\n". Notifications sign Message,
    /// MessageId, Subject (when present), Timestamp, TopicArn, Type; confirmations sign Message, MessageId,
    /// SubscribeURL, Timestamp, Token, TopicArn, Type.
    /// </summary>
    public string StringToSign()
    {
        var fields = Type == Notification
            ? new (string, string?)[] { ("Message", Message), ("MessageId", MessageId), ("Subject", Subject), ("Timestamp", Timestamp), ("TopicArn", TopicArn), ("Type", Type) }
            : [("Message", Message), ("MessageId", MessageId), ("SubscribeURL", SubscribeUrl), ("Timestamp", Timestamp), ("Token", Token), ("TopicArn", TopicArn), ("Type", Type)];
        return string.Concat(fields.Where(f => f.Item2 is not null).Select(f => $"{f.Item1}\n{f.Item2}\n"));
    }
}
