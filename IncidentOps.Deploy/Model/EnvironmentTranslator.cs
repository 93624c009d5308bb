using System.Text.RegularExpressions;

namespace IncidentOps.Deploy.Model;

/// <summary>A variable's value in AWS: plain text in the task definition, or a reference ECS resolves from Secrets Manager.</summary>
public abstract record EnvValue;

public sealed record PlainValue(string Value) : EnvValue;

/// <summary>The connection string (with credentials) of a managed Redis, kept in Secrets Manager.</summary>
public sealed record RedisConnectionSecret(string Resource) : EnvValue;

/// <summary>A secret AppHost parameter (<c>AddParameter(..., secret: true)</c>): its Secrets Manager secret in AWS.</summary>
public sealed record ParameterSecret(string Parameter) : EnvValue;

/// <summary>Where the AWS side puts things the manifest refers to by expression.</summary>
/// <param name="PublicUrl">The browser-facing URL (CloudFront, or the custom domain).</param>
/// <param name="InternalDomain">The Cloud Map namespace services find each other in.</param>
/// <param name="SignInAuthority">The issuer people sign in with (Cognito), in place of the AppHost's development provider.</param>
public sealed record DeployAddresses(string PublicUrl, string InternalDomain, string SignInAuthority = "");

/// <summary>
/// Turns a manifest resource's environment (literals and <c>{resource.property}</c> expressions) into task definition
/// variables. An expression it cannot place fails synth naming the variable: nothing is dropped unless listed here.
/// </summary>
public static partial class EnvironmentTranslator
{
    /// <summary>
    /// Aspire's per-field Redis variables (13.x). The services read <c>ConnectionStrings__redis</c> only
    /// (AddRedisClient), which arrives as a secret; these would repeat its password in plain text.
    /// </summary>
    private static readonly HashSet<string> RedisFieldSuffixes = new(StringComparer.Ordinal) { "HOST", "PORT", "PASSWORD", "URI" };

    private static readonly string[] SecretLikeNames = ["PASSWORD", "SECRET", "TOKEN", "APIKEY", "API_KEY"];

    public static IReadOnlyDictionary<string, EnvValue> Translate(ManifestResource resource, IReadOnlyList<ServiceSpec> catalog, DeployAddresses addresses)
    {
        var result = new SortedDictionary<string, EnvValue>(StringComparer.Ordinal);
        foreach (var (name, value) in resource.Environment)
        {
            var translated = TranslateOne(resource, name, value, catalog, addresses);
            if (translated is not null)
            {
                result[name] = translated;
            }
        }

        return result;
    }

    private static EnvValue? TranslateOne(ManifestResource resource, string name, string value, IReadOnlyList<ServiceSpec> catalog, DeployAddresses addresses)
    {
        var expressions = Expression().Matches(value);
        if (expressions.Count == 0)
        {
            if (SecretLikeNames.Any(s => name.Contains(s, StringComparison.OrdinalIgnoreCase)))
            {
                throw new InvalidOperationException(
                    $"{resource.Name}: variable {name} has a literal value in the Aspire manifest and looks like a secret; " +
                    "make it an AppHost parameter (secret: true) with a Secrets Manager mapping instead of plain environment.");
            }

            return new PlainValue(value);
        }

        var first = expressions[0];
        var target = catalog.FirstOrDefault(s => s.Name == first.Groups["resource"].Value);

        // REDIS_HOST, REDIS_PASSWORD, ...: fields of the connection string, the password among them.
        foreach (var redis in catalog.Where(s => s.Placement == Placement.ManagedRedis))
        {
            if (IsRedisField(name, redis.Name) && expressions.All(e => IsOf(e.Groups["resource"].Value, redis.Name)))
            {
                return null;
            }
        }

        // {redis.connectionString} is the whole value: the credentials-bearing secret.
        if (target?.Placement == Placement.ManagedRedis)
        {
            if (first.Value == value && first.Groups["path"].Value == "connectionString")
            {
                return new RedisConnectionSecret(target.Name);
            }
        }

        if (expressions.Count == 1 && first.Value == value)
        {
            var referenced = first.Groups["resource"].Value;
            if (first.Groups["path"].Value == "value" && ServiceCatalog.SecretParameters.ContainsKey(referenced))
            {
                return new ParameterSecret(referenced);
            }

            // The development sign-in provider exists only locally: in AWS the issuer is Cognito.
            if (referenced == IncidentOps.Core.ResourceNames.Identity && first.Groups["path"].Value == "bindings.http.url")
            {
                return new PlainValue(addresses.SignInAuthority);
            }
        }

        if (expressions.Count == 1 && first.Value == value && target is not null && target.Placement != Placement.ManagedRedis)
        {
            switch (first.Groups["path"].Value)
            {
                case "bindings.http.targetPort" or "bindings.http.port":
                    return new PlainValue(target.ContainerPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
                case "bindings.http.url":
                    // The browser-facing app's URL is the public one. So is the API's URL handed to the web app: the
                    // web app gives it to browsers, and CloudFront routes /api and /hubs on the same origin. Other
                    // addresses are reached inside the VPC.
                    var public_ = target.Name == PublicEntryPoint
                        || (resource.Name == PublicEntryPoint && target.Placement == Placement.PublicService);
                    return new PlainValue(public_
                        ? addresses.PublicUrl
                        : $"http://{target.Name}.{addresses.InternalDomain}:{target.ContainerPort}");
            }
        }

        throw new InvalidOperationException(
            $"{resource.Name}: variable {name} = '{value}' has no AWS translation in IncidentOps.Deploy (EnvironmentTranslator); " +
            "add one, so the setting reaches the service in AWS as it does locally.");
    }

    /// <summary>The resource people open in a browser: its URL is the CloudFront one.</summary>
    public const string PublicEntryPoint = IncidentOps.Core.ResourceNames.Web;

    private static bool IsRedisField(string name, string redisResource)
    {
        var prefix = redisResource.ToUpperInvariant() + "_";
        return name.StartsWith(prefix, StringComparison.Ordinal) && RedisFieldSuffixes.Contains(name[prefix.Length..]);
    }

    /// <summary>The resource itself or one of the parameters Aspire made for it (<c>redis-password</c>).</summary>
    private static bool IsOf(string referenced, string resource) =>
        referenced == resource || referenced.StartsWith(resource + "-", StringComparison.Ordinal);

    [GeneratedRegex(@"\{(?<resource>[A-Za-z0-9-]+)\.(?<path>[A-Za-z0-9.\-]+)\}")]
    private static partial Regex Expression();
}
