namespace IncidentOps.Agents.Ai;

internal static partial class AiLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "AI layer: provider {Provider} ({Reason})")]
    public static partial void ProviderChosen(ILogger logger, AiProvider provider, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording usage of {Service}/{Model} failed")]
    public static partial void AccountingFailed(ILogger logger, string service, string model, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Service} {Operation} failed on {Model}: {Error}; falling back")]
    public static partial void CallFailed(ILogger logger, string service, string operation, string model, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routed {Operation} for incident {IncidentId} to {Model}: {Reason}")]
    public static partial void Routed(ILogger logger, string operation, string? incidentId, string model, string reason);
}
