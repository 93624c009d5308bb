using System.Diagnostics;
using System.Security.Claims;
using IncidentOps.Api.Access;
using IncidentOps.Api.Extensions;
using IncidentOps.Api.Model;
using IncidentOps.Core.Domain;
using IncidentOps.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IncidentOps.Api.Apis;

/// <summary>Documents attached to an incident: the agents read their text (Textract or as is) and weigh it as evidence.</summary>
public static class AttachmentsApi
{
    public static IEndpointRouteBuilder MapAttachmentsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/incidents/{id}/attachments").WithTags("Attachments").RequireAuthorization(AccessPolicies.Viewer);
        var write = app.MapGroup("/api/v1/incidents/{id}/attachments").WithTags("Attachments").DisableAntiforgery()
            .RequireAuthorization(AccessPolicies.Responder);
        write.MapPost("/", AddAttachment)
            .AcceptsBody<Stream>(Attachment.ContentTypes)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .WithName("AddAttachment")
            .WithSummary("Attach a document (the raw body; Content-Type text/plain, text/markdown, text/csv, application/json, application/pdf, image/png, image/jpeg or image/tiff; query: name). 202: the agents read it and re-analyse.");
        read.MapGet("/", ListAttachments)
            .WithName("ListAttachments")
            .WithSummary("The incident's attachments, with the text read from each once it is read.");
        return app;
    }

    public static async Task<Results<Accepted<Attachment>, ProblemHttpResult>> AddAttachment(
        string id, string? name, HttpRequest request, AttachmentStore attachments, IncidentStore incidents, IOptions<IngestOptions> options, ClaimsPrincipal user, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 200)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Invalid query", "name is required (the document's file name), at most 200 characters.", "name");
        }

        var contentType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (contentType is null || !Attachment.ContentTypes.Contains(contentType))
        {
            return ApiProblems.Create(StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"Content-Type must be one of {string.Join(", ", Attachment.ContentTypes)} (got '{request.ContentType}').");
        }

        var max = options.Value.MaxAttachmentBytes;
        if (request.ContentLength > max || await JsonBody.ReadLimitedAsync(request.Body, max, ct) is not { } content)
        {
            return JsonBody.TooLarge(max);
        }

        if (content.Length == 0)
        {
            return ApiProblems.Create(StatusCodes.Status400BadRequest, "Empty body", "The attachment is empty.");
        }

        // The type decides how the agents read it (Textract or as text): the content must be what the type says.
        if (AttachmentContent.Mismatch(contentType, content.Span) is { } mismatch)
        {
            return ApiProblems.Create(StatusCodes.Status415UnsupportedMediaType, "Content does not match its type", $"Content-Type {contentType}: {mismatch}", "Content-Type");
        }

        if (await incidents.GetAsync(id) is null)
        {
            return ApiProblems.NotFound($"No incident '{id}'.");
        }

        var limits = new AttachmentLimits(options.Value.MaxAttachmentsPerIncident, options.Value.MaxAttachmentBytesPerIncident);
        var (attachment, refusal) = await attachments.TryAddAsync(id, name.Trim(), contentType, content.ToArray(), user.ActorName(), Activity.Current?.Id, limits);
        return refusal switch
        {
            null => TypedResults.Accepted($"/api/v1/incidents/{id}/attachments", attachment!),
            { Kind: AttachmentRefusalKind.TooMany } => ApiProblems.Create(StatusCodes.Status409Conflict, "Too many attachments", $"Refused: {refusal.Message}"),
            _ => ApiProblems.Create(StatusCodes.Status413PayloadTooLarge, "Attachments too large for this incident", $"Refused: {refusal.Message}"),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<Attachment>>, ProblemHttpResult>> ListAttachments(string id, AttachmentStore attachments, IncidentStore incidents) =>
        await incidents.GetAsync(id) is null
            ? ApiProblems.NotFound($"No incident '{id}'.")
            : TypedResults.Ok(await attachments.ListAsync(id));
}
