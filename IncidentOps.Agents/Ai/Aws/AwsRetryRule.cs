namespace IncidentOps.Agents.Ai.Aws;

/// <summary>
/// Which AWS errors are worth another attempt: the AWS SDKs' standard retry rule (the JavaScript SDK's
/// <c>@smithy/core/retry</c>, which the conformance tests compare against). Throttling (HTTP 429 or a throttling
/// code, which JSON 1.1 services such as Textract answer with a 400) and transient failures (500, 502, 503, 504,
/// request timeouts) are retried; a model timeout (408), validation and access errors are not, since the same
/// request would fail the same way.
/// </summary>
public static class AwsRetryRule
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "BandwidthLimitExceeded", "EC2ThrottledException", "LimitExceededException", "PriorRequestNotComplete",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "RequestThrottled", "RequestThrottledException",
        "SlowDown", "ThrottledException", "Throttling", "ThrottlingException", "TooManyRequestsException", "TransactionInProgressException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal) { "TimeoutError", "RequestTimeout", "RequestTimeoutException" };

    public static bool IsThrottling(int status, string? code) => status == 429 || (code is not null && ThrottlingCodes.Contains(code));

    public static bool IsRetryable(int status, string? code) =>
        IsThrottling(status, code) || status is 500 or 502 or 503 or 504 || (code is not null && TransientCodes.Contains(code));

    /// <summary>
    /// The error code of an <c>x-amzn-ErrorType</c> header or a <c>__type</c> field: "com.amazonaws.comprehend#TooManyRequestsException"
    /// and "ThrottlingException:http://internal.amazon.com/..." both mean the part after '#' and before ':'.
    /// </summary>
    public static string CodeOf(string type) => type.Split(':')[0].Split('#')[^1];
}
