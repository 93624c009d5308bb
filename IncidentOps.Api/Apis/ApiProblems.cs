using Microsoft.AspNetCore.Http.HttpResults;

namespace IncidentOps.Api.Apis;

/// <summary>problem+json answers that name the problem (and the field, where there is one).</summary>
internal static class ApiProblems
{
    public static ProblemHttpResult Create(int status, string title, string detail, string? field = null) =>
        TypedResults.Problem(detail, statusCode: status, title: title,
            extensions: field is null ? null : new Dictionary<string, object?> { ["field"] = field });

    public static ProblemHttpResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "Not found", detail);
}
