using IncidentOps.Api.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace IncidentOps.Api.Extensions;

/// <summary>
/// The OpenAPI document (<c>/openapi/v1.json</c>, ASP.NET Core's own generator) and the Scalar API reference
/// (<c>/scalar/v1</c>). Handlers read their JSON bodies themselves (to name every problem), so each declares its body
/// type with <see cref="AcceptsJson{T}"/>; the answers every endpoint can give (401/403 by its policy, 429 from the
/// rate limiter, 503 while Redis is away) are added to every operation here rather than repeated on each route.
/// </summary>
public static class ApiDocument
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string ReferencePath = "/scalar";

    public static void AddApiDocument(this IHostApplicationBuilder builder) =>
        builder.Services.AddOpenApi(options =>
        {
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "IncidentOps API",
                    Version = "v1",
                    Description = "Alerts in (per-source ingest tokens), incidents, agents' conclusions, actions, figures. People use OIDC bearer tokens or X-Api-Key.",
                };
                return Task.CompletedTask;
            });
            options.AddOperationTransformer(DescribeBodyAsync);
            options.AddOperationTransformer(AddCommonProblemsAsync);
        });

    /// <summary>
    /// Maps the document and the reference. In Development anyone on the machine may read them; elsewhere a signed-in
    /// viewer (a person's token or an API key): the document lists every route, which is no secret but no advert either.
    /// </summary>
    public static WebApplication MapApiDocument(this WebApplication app)
    {
        var document = app.MapOpenApi(DocumentPath);
        var reference = app.MapScalarApiReference(ReferencePath, options => options.WithTitle("IncidentOps API"));
        if (app.Environment.IsDevelopment())
        {
            document.AllowAnonymous();
            reference.AllowAnonymous();
        }
        else
        {
            document.RequireAuthorization(AccessPolicies.Viewer);
            reference.RequireAuthorization(AccessPolicies.Viewer);
        }

        return app;
    }

    /// <summary>A JSON body of <typeparamref name="T"/>, read by <c>JsonBody</c>, with the problems it answers for a bad one.</summary>
    public static RouteHandlerBuilder AcceptsJson<T>(this RouteHandlerBuilder builder, params string[] otherContentTypes) where T : notnull =>
        builder.AcceptsBody<T>(["application/json", .. otherContentTypes])
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

    /// <summary>
    /// Documents the body a handler reads itself. Not <c>Accepts&lt;T&gt;</c>: that also makes routing refuse other
    /// content types with a bare 415 before the handler can name the problem (and SNS posts JSON as text/plain).
    /// </summary>
    public static RouteHandlerBuilder AcceptsBody<T>(this RouteHandlerBuilder builder, IReadOnlyList<string> contentTypes) where T : notnull =>
        builder.WithMetadata(new DocumentedBody(typeof(T), contentTypes));

    private static async Task DescribeBodyAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<DocumentedBody>().LastOrDefault() is not { } body)
        {
            return;
        }

        var schema = await context.GetOrCreateSchemaAsync(body.Type, null, ct);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = body.ContentTypes.ToDictionary(type => type, _ => new OpenApiMediaType { Schema = schema }),
        };
    }

    private static async Task AddCommonProblemsAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var signedIn = metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null) && !metadata.OfType<IAllowAnonymous>().Any();
        var ingest = metadata.OfType<IngestTokenEndpoint>().Any();
        var problems = new List<(int Status, string Why)>
        {
            (StatusCodes.Status429TooManyRequests, "Over the rate limit of this identity or ingest credential; Retry-After says when to try again."),
            (StatusCodes.Status503ServiceUnavailable, "Redis is unreachable; nothing was stored. Retry-After says when to try again."),
        };
        if (signedIn || ingest)
        {
            problems.Add((StatusCodes.Status401Unauthorized, ingest ? "Missing or wrong ingest token." : "No valid bearer token or API key."));
        }

        if (signedIn)
        {
            problems.Add((StatusCodes.Status403Forbidden, "The signed-in role may not do this."));
        }

        var schema = await context.GetOrCreateSchemaAsync(typeof(ProblemDetails), null, ct);
        operation.Responses ??= [];
        foreach (var (status, why) in problems)
        {
            var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                operation.Responses[key] = new OpenApiResponse
                {
                    Description = why,
                    Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new() { Schema = schema } },
                };
            }
        }
    }
}

/// <summary>The body an endpoint reads itself, for the OpenAPI document.</summary>
public sealed record DocumentedBody(Type Type, IReadOnlyList<string> ContentTypes);
