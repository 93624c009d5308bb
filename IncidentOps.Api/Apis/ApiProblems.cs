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

    public static ProblemHttpResult Unauthorized(string source) =>
        Create(StatusCodes.Status401Unauthorized, "Missing or wrong ingest token",
            $"The {source} integration needs its token: Authorization: Bearer <token>, or the token in the URL path where the tool cannot send headers.");

    /// <summary>400 with every field error, keyed by the field's JSON path.</summary>
    public static ValidationProblem Validation(IReadOnlyList<IncidentOps.Core.Ingest.FieldError> errors, string title) =>
        TypedResults.ValidationProblem(
            errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => $"{e.Field} {e.Message}").ToArray()),
            title: title);
}
