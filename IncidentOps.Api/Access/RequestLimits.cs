using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.RateLimiting;
using IncidentOps.Api.Apis;
using Microsoft.AspNetCore.RateLimiting;

namespace IncidentOps.Api.Access;

/// <summary>Request rates (<c>RateLimits:*</c>), per identity for people and API keys, per credential for ingest.</summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sustained requests per second for one person or API key (anonymous callers: per address).</summary>
    [Range(1, 1_000_000)]
    public int PerIdentityPerSecond { get; set; } = 20;

    /// <summary>Burst above that rate for one identity.</summary>
    [Range(1, 1_000_000)]
    public int PerIdentityBurst { get; set; } = 200;

    /// <summary>Alerts per second one ingest credential may send (Alertmanager and PagerDuty senders retry on 429).</summary>
    [Range(1, 1_000_000)]
    public int IngestPerSecond { get; set; } = 5000;

    [Range(1, 10_000_000)]
    public int IngestBurst { get; set; } = 20000;
}

public static class RequestLimits
{
    /// <summary>
    /// ASP.NET Core's rate limiter, partitioned by who asks: ingest endpoints by the credential presented (its digest, never
    /// the token), everything else by the signed-in subject or API key, else the client address. 429 with Retry-After.
    /// </summary>
    public static void AddRequestLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<Microsoft.Extensions.Options.IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var limits = options.Value;
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var ingest = context.GetEndpoint()?.Metadata.GetMetadata<IngestTokenEndpoint>();
                return ingest is not null
                    ? Bucket($"ingest:{ingest.Source}:{CredentialDigest(context)}", limits.IngestPerSecond, limits.IngestBurst)
                    : Bucket($"who:{Identity(context)}", limits.PerIdentityPerSecond, limits.PerIdentityBurst);
            });
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                if (rejected.HttpContext.GetEndpoint()?.Metadata.GetMetadata<IngestTokenEndpoint>() is not null)
                {
                    ApiTelemetry.RecordRefused(IngestRefusal.RateLimit);
                }

                var response = rejected.HttpContext.Response;
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.Create(StatusCodes.Status429TooManyRequests, "Too many requests",
                        $"The rate limit for this caller is reached; retry after {retryAfter} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
    }

    private static RateLimitPartition<string> Bucket(string key, int perSecond, int burst) =>
        RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static string Identity(HttpContext context) =>
        context.User.LimitKey() ?? $"ip:{context.Connection.RemoteIpAddress}";

    /// <summary>The ingest credential's digest (header or path token); the address when there is none.</summary>
    private static string CredentialDigest(HttpContext context)
    {
        var credential = context.Request.Headers.Authorization.ToString();
        if (credential.Length == 0 && context.Request.RouteValues.TryGetValue("token", out var token))
        {
            credential = token?.ToString() ?? string.Empty;
        }

        return credential.Length == 0
            ? $"ip:{context.Connection.RemoteIpAddress}"
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(credential)), 0, 8);
    }
}
