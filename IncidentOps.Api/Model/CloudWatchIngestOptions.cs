using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Model;

/// <summary>CloudWatch through SNS (<c>Ingest:CloudWatch</c>).</summary>
public sealed class CloudWatchIngestOptions
{
    public const string Section = "Ingest:CloudWatch";

    /// <summary>
    /// The SNS topics whose messages are accepted. Anyone can create a topic and sign messages with SNS's own
    /// certificate, so a valid signature says only "from SNS", not "from our alarms": the topic says that.
    /// Empty is allowed in Development only (any topic then).
    /// </summary>
    public List<string> TopicArns { get; set; } = [];
}

/// <summary>Refuses to start outside Development without a topic allowlist, and with an entry that is not an SNS topic ARN.</summary>
public sealed partial class CloudWatchIngestValidation(IHostEnvironment environment) : IValidateOptions<CloudWatchIngestOptions>
{
    public ValidateOptionsResult Validate(string? name, CloudWatchIngestOptions options)
    {
        var malformed = options.TopicArns.Where(arn => !TopicArn().IsMatch(arn)).ToList();
        if (malformed.Count > 0)
        {
            return ValidateOptionsResult.Fail($"Ingest:CloudWatch:TopicArns must hold SNS topic ARNs (arn:aws:sns:<region>:<account>:<topic>); not: {string.Join(", ", malformed)}.");
        }

        return options.TopicArns.Count > 0 || environment.IsDevelopment()
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail("Ingest:CloudWatch:TopicArns lists no SNS topic: outside Development the CloudWatch webhook accepts only the topics listed, so list the ARN of each alarm topic.");
    }

    [GeneratedRegex(@"^arn:aws(-cn|-us-gov|-iso[a-z]?)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$")]
    private static partial Regex TopicArn();
}

/// <summary>Whether a message's topic is one of ours: checked before the signature, so a stranger's topic costs no certificate fetch.</summary>
public sealed class SnsTopicAllowlist(IOptions<CloudWatchIngestOptions> options, IHostEnvironment environment)
{
    public bool Allows(string? topicArn) =>
        options.Value.TopicArns.Count == 0
            ? environment.IsDevelopment()
            : topicArn is not null && options.Value.TopicArns.Contains(topicArn, StringComparer.Ordinal);
}
