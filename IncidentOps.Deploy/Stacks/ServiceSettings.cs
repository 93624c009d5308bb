using System.Globalization;
using IncidentOps.Core;
using IncidentOps.Deploy.Model;
using EcsSecret = Amazon.CDK.AWS.ECS.Secret;

namespace IncidentOps.Deploy.Stacks;

/// <summary>
/// Settings a service needs in AWS beyond what the AppHost gives it: telemetry to the sidecar, the sign-in
/// configuration, the AI configuration of the agents, and the web app's server settings.
/// </summary>
public static class ServiceSettings
{
    /// <summary>The agents' routing tiers, cheapest first, as AI:Models names them.</summary>
    private static readonly string[] ModelTiers = ["NovaMicro", "NovaLite", "NovaPro", "ClaudeHaiku", "ClaudeSonnet"];

    /// <summary>
    /// Sign-in settings the AppHost points at its development provider; in AWS they name Cognito, so these replace the
    /// AppHost's values instead of conflicting with them.
    /// </summary>
    public static readonly IReadOnlySet<string> SignInKeys = new HashSet<string>(StringComparer.Ordinal)
    {
        "Auth__Authority", "Auth__ClientId", "Auth__Audience", "Auth__RoleClaim",
        "AUTH_ISSUER", "AUTH_CLIENT_ID", "AUTH_ROLE_CLAIM", "AUTH_SCOPE",
    };

    public static IEnumerable<KeyValuePair<string, string>> For(ServiceSpec spec, DeploySettings settings, ComputeInputs inputs)
    {
        var identity = inputs.Identity;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://localhost:4317",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = spec.Name,
            // The API checks people's tokens against these (Cognito: the issuer, the web client's id as the audience,
            // the groups as roles).
            ["Auth__Authority"] = identity.Authority,
            ["Auth__ClientId"] = identity.WebClient.UserPoolClientId,
            ["Auth__Audience"] = identity.WebClient.UserPoolClientId,
            ["Auth__RoleClaim"] = IdentityStack.RoleClaim,
        };

        if (spec.Name == ResourceNames.Api)
        {
            // The CloudWatch webhook accepts SNS deliveries only from the listed topics: the deployment's alarm topic.
            values["Ingest__CloudWatch__TopicArns__0"] = inputs.Observability.Alarms.TopicArn;
        }

        if (spec.Name == ResourceNames.Agents)
        {
            values["AI__Provider"] = "Bedrock";
            values["AI__Region"] = settings.AiRegion;
            values["AI__Routing__HourlyBudgetUsd"] = settings.AiHourlyBudgetUsd.ToString(CultureInfo.InvariantCulture);
            values["AI__UseComprehend"] = settings.UseComprehend ? "true" : "false";
            values["AI__UseTextract"] = settings.UseTextract ? "true" : "false";
            if (settings.BedrockModels.Count == ModelTiers.Length)
            {
                for (var i = 0; i < ModelTiers.Length; i++)
                {
                    values[$"AI__Models__{ModelTiers[i]}"] = settings.BedrockModels[i];
                }
            }

            Optional(values, "AI__GuardrailId", settings.GuardrailId);
            if (settings.GuardrailId is not null)
            {
                values["AI__GuardrailVersion"] = settings.GuardrailVersion;
            }

            Optional(values, "AI__KnowledgeBaseId", settings.KnowledgeBaseId);
            Optional(values, "AI__AgentId", settings.AgentId);
            Optional(values, "AI__AgentAliasId", settings.AgentAliasId);
            Optional(values, "AI__QBusinessApplicationId", settings.QBusinessApplicationId);
        }

        if (spec.Name == ResourceNames.Web)
        {
            values["NODE_ENV"] = "production";
            values["HOSTNAME"] = "0.0.0.0";
            // next-auth signs in with Cognito (IncidentOps.Web/lib/auth.ts); Cognito knows no "roles" or "offline_access" scope.
            values["AUTH_ISSUER"] = identity.Authority;
            values["AUTH_CLIENT_ID"] = identity.WebClient.UserPoolClientId;
            values["AUTH_ROLE_CLAIM"] = IdentityStack.RoleClaim;
            values["AUTH_SCOPE"] = "openid profile email";
        }

        return values;
    }

    public static IEnumerable<KeyValuePair<string, EcsSecret>> SecretsFor(ServiceSpec spec, SecretsStack secrets)
    {
        if (spec.Name == ResourceNames.Api)
        {
            foreach (var (source, secret) in secrets.IngestTokens)
            {
                yield return new($"Ingest__Tokens__{source}", EcsSecret.FromSecretsManager(secret));
            }
        }

    }

    private static void Optional(Dictionary<string, string> values, string key, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            values[key] = value;
        }
    }
}
