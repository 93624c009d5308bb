using System.Net;

namespace IncidentOps.Agents.Ai.Aws;

/// <summary>An error answered by an AWS service, with the service's own code and message (never the request or credentials).</summary>
public sealed class AwsServiceException(string service, string code, string message, HttpStatusCode status)
    : Exception($"{service}: {code}: {message}")
{
    public string Service { get; } = service;

    public string Code { get; } = code;

    public string ServiceMessage { get; } = message;

    public HttpStatusCode Status { get; } = status;

    public bool IsThrottling => AwsRetryRule.IsThrottling((int)Status, Code);

    /// <summary>Whether the pipeline retried it (<see cref="AwsRetryRule"/>): throttling and transient server errors.</summary>
    public bool IsRetryable => AwsRetryRule.IsRetryable((int)Status, Code);

    /// <summary>Validation and access errors will not get better by retrying or by another model of the same account.</summary>
    public bool IsClientError => (int)Status is >= 400 and < 500 && !IsThrottling;
}
