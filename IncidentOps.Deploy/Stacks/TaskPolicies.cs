using Amazon.CDK;
using Amazon.CDK.AWS.IAM;
using IncidentOps.Core;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// What each service's task role may do: write its telemetry, and for the agents only the AI calls the configuration
/// names, on the resources it names. Nothing else (no S3, no wildcard actions).
/// </summary>
public static class TaskPolicies
{
    private static readonly string[] InferenceProfilePrefixes = ["us", "eu", "apac", "us-gov", "global"];

    public static IEnumerable<PolicyStatement> For(string service, DeploySettings settings)
    {
        foreach (var statement in Telemetry())
        {
            yield return statement;
        }

        if (service != ResourceNames.Agents)
        {
            yield break;
        }

        foreach (var statement in Ai(settings))
        {
            yield return statement;
        }
    }

    private static IEnumerable<PolicyStatement> Telemetry()
    {
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "MetricsAsEmf",
            Actions = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resources = [$"arn:{Aws.PARTITION}:logs:{Aws.REGION}:{Aws.ACCOUNT_ID}:log-group:{Stacks.Telemetry.MetricsLogGroup}:*"],
        });

        // X-Ray's write calls take no resource: "*" is the only form they accept.
        yield return new PolicyStatement(new PolicyStatementProps
        {
            Sid = "Traces",
            Actions = ["xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets"],
            Resources = ["*"],
        });
    }

    private static IEnumerable<PolicyStatement> Ai(DeploySettings settings)
    {
        var region = settings.AiRegion;
        var account = Aws.ACCOUNT_ID;
        var partition = Aws.PARTITION;

        var modelResources = new List<string>();
        foreach (var model in settings.BedrockModels)
        {
            var (profile, foundation) = SplitProfile(model);
            if (profile)
            {
                modelResources.Add($"arn:{partition}:bedrock:{region}:{account}:inference-profile/{model}");
                modelResources.AddRange(settings.InferenceRegions.Select(r => $"arn:{partition}:bedrock:{r}::foundation-model/{foundation}"));
            }
            else
            {
                modelResources.Add($"arn:{partition}:bedrock:{region}::foundation-model/{model}");
            }
        }

        if (modelResources.Count > 0)
        {
            // Converse and ConverseStream are authorised as InvokeModel and InvokeModelWithResponseStream.
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "BedrockModels",
                Actions = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
                Resources = [.. modelResources.Distinct()],
            });
        }

        if (settings.GuardrailId is { } guardrail)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "BedrockGuardrail",
                Actions = ["bedrock:ApplyGuardrail"],
                Resources = [$"arn:{partition}:bedrock:{region}:{account}:guardrail/{guardrail}"],
            });
        }

        if (settings.KnowledgeBaseId is { } knowledgeBase)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "KnowledgeBase",
                Actions = ["bedrock:Retrieve"],
                Resources = [$"arn:{partition}:bedrock:{region}:{account}:knowledge-base/{knowledgeBase}"],
            });
        }

        if (settings.AgentId is { } agent && settings.AgentAliasId is { } alias)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "AgentMemory",
                Actions = ["bedrock:InvokeAgent"],
                Resources = [$"arn:{partition}:bedrock:{region}:{account}:agent-alias/{agent}/{alias}"],
            });
        }

        if (settings.QBusinessApplicationId is { } application)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "QBusiness",
                Actions = ["qbusiness:ChatSync"],
                Resources = [$"arn:{partition}:qbusiness:{region}:{account}:application/{application}"],
            });
        }

        // Comprehend's and Textract's real-time read calls take no resource.
        if (settings.UseComprehend)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "Comprehend",
                Actions = ["comprehend:DetectSentiment", "comprehend:DetectPiiEntities"],
                Resources = ["*"],
            });
        }

        if (settings.UseTextract)
        {
            yield return new PolicyStatement(new PolicyStatementProps
            {
                Sid = "Textract",
                Actions = ["textract:DetectDocumentText"],
                Resources = ["*"],
            });
        }
    }

    /// <summary>A cross-region inference profile id (<c>us.amazon.nova-lite-v1:0</c>) and the model it routes to.</summary>
    public static (bool Profile, string FoundationModel) SplitProfile(string modelId)
    {
        var dot = modelId.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && InferenceProfilePrefixes.Contains(modelId[..dot])
            ? (true, modelId[(dot + 1)..])
            : (false, modelId);
    }
}
