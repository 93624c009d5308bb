using System.ClientModel;
using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Reasoning;
using IncidentOps.Core.Ai;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace IncidentOps.Agents.Ai;

/// <summary>
/// Which provider serves the AI layer, decided once at start: the configured one, or for <c>Auto</c>
/// Bedrock when AWS credentials are configured and the local engine when not.
/// </summary>
public sealed class AiEngine
{
    public AiEngine(IOptions<AiOptions> options, IHttpClientFactory factory, ILogger<AiEngine> logger)
    {
        var settings = options.Value;
        (Provider, Reason) = settings.Provider switch
        {
            AiProvider.Auto when AwsCredentialSource.AreConfigured() => (AiProvider.Bedrock, "Auto: AWS credentials are configured"),
            AiProvider.Auto => (AiProvider.Local, "Auto: no AWS credentials configured"),
            var configured => (configured, "configured"),
        };
        Chat = Provider switch
        {
            AiProvider.Bedrock => new BedrockChatClient(factory, settings.GuardrailId, settings.GuardrailVersion),
            AiProvider.OpenAI => new OpenAI.Chat.ChatClient(
                settings.OpenAI.Model,
                new ApiKeyCredential(string.IsNullOrEmpty(settings.OpenAI.ApiKey) ? "unused" : settings.OpenAI.ApiKey),
                new OpenAI.OpenAIClientOptions { Endpoint = new Uri(settings.OpenAI.Endpoint!) }).AsIChatClient(),
            _ => null,
        };
        ChatService = Provider == AiProvider.OpenAI ? AiServices.OpenAi : AiServices.BedrockRuntime;
        AiLog.ProviderChosen(logger, Provider, Reason);
    }

    public AiProvider Provider { get; }

    public string Reason { get; }

    /// <summary>The reasoning model client, or null on the local engine.</summary>
    public IChatClient? Chat { get; }

    /// <summary>The accounting name of the service behind <see cref="Chat"/>.</summary>
    public string ChatService { get; }

    public bool OnAws => Provider == AiProvider.Bedrock;

    public string Name => Provider switch
    {
        AiProvider.Bedrock => "bedrock",
        AiProvider.OpenAI => "openai-compatible",
        _ => "local",
    };
}
