using Amazon.Runtime;
using Amazon.Runtime.Credentials;

namespace IncidentOps.Agents.Ai.Aws;

/// <summary>
/// AWS credentials from AWSSDK.Core's default chain (environment, shared profile, ECS task role, web identity,
/// instance profile), resolved once on first use; the SDK's credential objects refresh themselves.
/// </summary>
public class AwsCredentialSource
{
    private readonly Lazy<AWSCredentials> _credentials = new(() => new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null));

    public virtual AWSCredentials Credentials => _credentials.Value;

    /// <summary>
    /// Whether credentials are configured, judged without calling the instance metadata service: on a laptop
    /// or CI machine that probe waits on network timeouts, and "no credentials" must mean "start local, fast".
    /// </summary>
    public static bool AreConfigured()
    {
        string[] variables = ["AWS_ACCESS_KEY_ID", "AWS_PROFILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE"];
        if (variables.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v))))
        {
            return true;
        }

        var file = Environment.GetEnvironmentVariable("AWS_SHARED_CREDENTIALS_FILE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aws", "credentials");
        return File.Exists(file);
    }
}
