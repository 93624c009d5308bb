using IncidentOps.Agents.Ai.Aws;
using IncidentOps.Agents.Ai.Guard;
using IncidentOps.Agents.Ai.Memory;
using IncidentOps.Agents.Ai.Retrieval;
using IncidentOps.Agents.Ai.TextExtraction;

namespace IncidentOps.Agents.Ai;

/// <summary>The wire-level clients of the AWS AI services other than the chat model (which <see cref="AiEngine"/> holds).</summary>
public sealed record AwsAiClients(
    BedrockGuardrailClient Guardrails,
    KnowledgeBaseClient KnowledgeBases,
    BedrockAgentClient Agents,
    QBusinessClient QBusiness,
    ComprehendClient Comprehend,
    TextractClient Textract);
