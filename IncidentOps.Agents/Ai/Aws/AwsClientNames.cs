namespace IncidentOps.Agents.Ai.Aws;

/// <summary>Named HttpClients, one per AWS endpoint (each with its own signing name and base address).</summary>
public static class AwsClientNames
{
    public const string BedrockRuntime = "aws-bedrock-runtime";
    public const string BedrockAgentRuntime = "aws-bedrock-agent-runtime";
    public const string QBusiness = "aws-qbusiness";
    public const string Comprehend = "aws-comprehend";
    public const string Textract = "aws-textract";

    /// <summary>Client name, SigV4 signing name, and the public endpoint for a region.</summary>
    public static IReadOnlyList<(string Client, string SigningName, Func<string, string> Endpoint, Func<AwsEndpointOptions, string?> Override)> All { get; } =
    [
        (BedrockRuntime, "bedrock", r => $"https://bedrock-runtime.{r}.amazonaws.com", e => e.BedrockRuntime),
        (BedrockAgentRuntime, "bedrock", r => $"https://bedrock-agent-runtime.{r}.amazonaws.com", e => e.BedrockAgentRuntime),
        (QBusiness, "qbusiness", r => $"https://qbusiness.{r}.api.aws", e => e.QBusiness),
        (Comprehend, "comprehend", r => $"https://comprehend.{r}.amazonaws.com", e => e.Comprehend),
        (Textract, "textract", r => $"https://textract.{r}.amazonaws.com", e => e.Textract),
    ];
}
