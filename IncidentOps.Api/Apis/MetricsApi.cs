using IncidentOps.Api.Access;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Events;
using IncidentOps.Figures;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace IncidentOps.Api.Apis;

public static class MetricsApi
{
    private const int MaxServiceLength = 200;

    public static IEndpointRouteBuilder MapMetricsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/metrics").WithTags("Metrics").RequireAuthorization(AccessPolicies.Viewer);

        api.MapGet("/", GetMetrics)
            .WithName("GetMetrics")
            .WithSummary("The latest figures of the metrics worker: incidents handled, open, MTTR with its 95% interval, and the 7-day business figures.");

        api.MapGet("/business", GetBusinessMetrics)
            .WithName("GetBusinessMetrics")
            .WithSummary("Business figures over a window (7d or 30d), optionally one service and severity: MTTR/MTTA/MTTD with intervals, " +
                "Kaplan–Meier time to resolve, trends, incidents handled and prevented, cost savings, efficiency, success rate, data quality.");
        return app;
    }

    public static async Task<Results<Ok<MetricsSnapshot>, ProblemHttpResult>> GetMetrics(IConnectionMultiplexer redis)
    {
        var json = await redis.GetDatabase().StringGetAsync(RedisKeys.MetricsSnapshot);
        return json.IsNullOrEmpty
            ? ApiProblems.NotFound("The metrics worker has not published figures yet.")
            : TypedResults.Ok(OpsJson.Deserialize<MetricsSnapshot>(json.ToString()));
    }

    /// <summary>Computed from the facts the metrics worker keeps (reused for a few seconds while they do not change).</summary>
    public static async Task<Results<Ok<BusinessMetrics>, ProblemHttpResult>> GetBusinessMetrics(
        BusinessFiguresCache figures, string? window = null, string? service = null, string? severity = null)
    {
        // Query values are parsed here, not by the binder, so that a bad one is named in the 400.
        window ??= MetricsQuery.Week.Window;
        if (!MetricsQuery.Windows.ContainsKey(window))
        {
            return Invalid("window", $"window must be one of {string.Join(", ", MetricsQuery.Windows.Keys)} (got '{window}').");
        }

        if (service is { Length: > MaxServiceLength } || (service is not null && service.Any(char.IsControl)))
        {
            return Invalid("service", $"service must be a service name of at most {MaxServiceLength} printable characters.");
        }

        Severity? severityFilter = null;
        if (!string.IsNullOrEmpty(severity))
        {
            if (!Enum.TryParse<Severity>(severity, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(severity, out _))
            {
                return Invalid("severity", $"severity must be one of critical, error, warning, info (got '{severity}').");
            }

            severityFilter = parsed;
        }

        var query = new MetricsQuery(window, string.IsNullOrWhiteSpace(service) ? null : service.Trim(), severityFilter);
        return TypedResults.Ok(await figures.GetAsync(query));
    }

    private static ProblemHttpResult Invalid(string field, string detail) =>
        ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", detail, field);
}
