namespace IncidentOps.Core.Domain;

/// <summary>
/// A document attached to an incident (a log excerpt, a screenshot, a postmortem draft). Its text is
/// extracted by the agents (Amazon Textract when configured, plain text as is) and read as evidence.
/// </summary>
public sealed record Attachment(string Id, string IncidentId, string Name, string ContentType, long Size, string AddedBy, DateTimeOffset AddedAt)
{
    public static readonly IReadOnlyList<string> ContentTypes =
        ["text/plain", "text/markdown", "text/csv", "application/json", "application/pdf", "image/png", "image/jpeg", "image/tiff"];

    /// <summary>The extracted text; null until extracted (or when nothing could be read).</summary>
    public string? Text { get; init; }

    /// <summary>Which engine read it (<c>textract</c>, <c>local</c>).</summary>
    public string? Engine { get; init; }

    public int? Lines { get; init; }

    public DateTimeOffset? ExtractedAt { get; init; }

    /// <summary>Why no text came out (e.g. a PDF with no text extraction configured).</summary>
    public string? Note { get; init; }
}
