using IncidentOps.Agents.Ai.Aws;

namespace IncidentOps.Agents.Ai;

/// <summary>The wire-level clients of the AWS AI services other than the chat model (which <see cref="AiEngine"/> holds).</summary>
public sealed record AwsAiClients(
    BedrockGuardrailClient Guardrails,
    KnowledgeBaseClient KnowledgeBases,
    BedrockAgentClient Agents,
    QBusinessClient QBusiness,
    ComprehendClient Comprehend,
    TextractClient Textract);
