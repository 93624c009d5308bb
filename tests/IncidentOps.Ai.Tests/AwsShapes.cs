using System.Text;
using System.Text.Json.Nodes;

namespace IncidentOps.Ai.Tests;

/// <summary>
/// The fake's canned answers of the AWS APIs other than Converse, in their real shapes. The conformance tests
/// (Conformance/) prove each one against the official SDK, so the client tests that use them stand on them.
/// </summary>
public static class AwsShapes
{
    public const string GuardrailIntervention = """
        {"usage":{"topicPolicyUnits":1,"contentPolicyUnits":1,"wordPolicyUnits":0,"sensitiveInformationPolicyUnits":1,"sensitiveInformationPolicyFreeUnits":2,"contextualGroundingPolicyUnits":0,"automatedReasoningPolicies":1},
         "action":"GUARDRAIL_INTERVENED","outputs":[{"text":"Blocked by policy."}],
         "assessments":[{"contentPolicy":{"filters":[{"type":"PROMPT_ATTACK","confidence":"HIGH","action":"BLOCKED"}]},
                         "sensitiveInformationPolicy":{"piiEntities":[{"match":"alice@example.com","type":"EMAIL","action":"ANONYMIZED"}]}}]}
        """;

    public const string Retrieval = """
        {"retrievalResults":[
          {"content":{"text":"Roll back the release when errors began with it.","type":"TEXT"},"location":{"type":"S3","s3Location":{"uri":"s3://runbooks/failed-deploy.md"}},"score":0.71,
           "metadata":{"x-amz-bedrock-kb-source-uri":"s3://runbooks/failed-deploy.md"}},
          {"content":{"text":"Expand the volume."},"location":{"type":"WEB","webLocation":{"url":"https://wiki/disk-full"}},"score":0.22}]}
        """;

    public const string ChatSyncAnswer = """
        {"conversationId":"c1","systemMessage":"Restart the consumer after draining.","systemMessageId":"m2","userMessageId":"m1",
         "sourceAttributions":[{"title":"Kafka runbook","snippet":"drain first","url":"https://wiki/kafka","citationNumber":1,"updatedAt":1733011200,
           "textMessageSegments":[{"beginOffset":0,"endOffset":11}]}]}
        """;

    public const string Sentiment = """{"Sentiment":"NEGATIVE","SentimentScore":{"Positive":0.01,"Negative":0.95,"Neutral":0.03,"Mixed":0.01}}""";

    public const string PiiEntities = """{"Entities":[{"Score":0.99,"Type":"NAME","BeginOffset":0,"EndOffset":5},{"Score":0.97,"Type":"EMAIL","BeginOffset":13,"EndOffset":30}]}""";

    public const string TextractLines = """
        {"DocumentMetadata":{"Pages":1},"DetectDocumentTextModelVersion":"1.0","Blocks":[
          {"BlockType":"PAGE","Id":"p1","Relationships":[{"Type":"CHILD","Ids":["l1","l2"]}]},
          {"BlockType":"LINE","Id":"l1","Text":"ERROR disk full","Confidence":99.1,"Page":1},
          {"BlockType":"WORD","Id":"w1","Text":"ERROR","Confidence":99.5,"TextType":"PRINTED"},
          {"BlockType":"LINE","Id":"l2","Text":"/var at 100%","Confidence":98.0,"Page":1}]}
        """;

    /// <summary>An InvokeAgent answer: <c>chunk</c> events whose <c>bytes</c> (a blob, so base64 in JSON) carry the text.</summary>
    public static byte[] AgentAnswer(params string[] pieces) => ConverseShapes.Concat([.. pieces.Select(p => ConverseShapes.Event("chunk",
        new JsonObject { ["bytes"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(p)) }.ToJsonString()))]);
}
