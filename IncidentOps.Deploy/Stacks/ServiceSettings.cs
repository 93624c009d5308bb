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

    public static IEnumerable<KeyValuePair<string, string>> For(ServiceSpec spec, DeploySettings settings, ComputeInputs inputs)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://localhost:4317",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc",
            ["OTEL_SERVICE_NAME"] = spec.Name,
            // The sign-in work reads these (Cognito: the issuer, and the web client's id as the token audience).
            ["Auth__Authority"] = inputs.Identity.Authority,
            ["Auth__ClientId"] = inputs.Identity.WebClient.UserPoolClientId,
            ["Auth__Audience"] = inputs.Identity.WebClient.UserPoolClientId,
        };

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
            values["AUTH_URL"] = inputs.Edge.PublicUrl;
            values["AUTH_TRUST_HOST"] = "true";
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

        if (spec.Name == ResourceNames.Web)
        {
            yield return new("AUTH_SECRET", EcsSecret.FromSecretsManager(secrets.WebSessionKey));
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
