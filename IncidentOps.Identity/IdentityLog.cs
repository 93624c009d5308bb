namespace IncidentOps.Identity;

internal static partial class IdentityLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Sign-in failed from {RemoteAddress}")]
    public static partial void SignInFailed(ILogger logger, string? remoteAddress);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Tokens issued to {Subject} ({Role}) by {GrantType}")]
    public static partial void TokensIssued(ILogger logger, string subject, string role, string? grantType);
}
